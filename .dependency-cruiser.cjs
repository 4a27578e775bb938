/**
 * The module graph of ARCHITECTURE.md, as rules CI enforces (`npm run lint:boundaries`).
 *
 * `allowed` lists every edge the architecture permits; any other import between src/ folders is an error.
 * `forbidden` adds the rules that cut across modules (cycles, Bull outside the queue layer).
 * Keep this file and the table in ARCHITECTURE.md saying the same thing.
 */

/** Which src/ folders each module may import, besides itself, config and common (which everyone may use). */
const MAY_IMPORT = {
  config: [],
  common: [],
  database: [], // data-source.ts lists every module's entities: see the entities rule below
  auth: [],
  'tracked-jobs': ['auth'],
  health: ['auth'],
  'console-host': ['auth'],
  'event-types': ['auth'],
  endpoints: ['auth', 'event-types'],
  filters: ['auth', 'event-types', 'endpoints'],
  deliveries: ['auth', 'tracked-jobs', 'event-types', 'endpoints', 'filters'],
  integrations: ['auth', 'tracked-jobs', 'event-types'],
  'inbound-events': ['auth', 'tracked-jobs', 'event-types', 'deliveries', 'integrations'],
  agents: ['auth', 'event-types', 'endpoints', 'filters', 'deliveries', 'inbound-events'],
  registrations: ['auth', 'event-types', 'endpoints'],
  retention: ['auth', 'deliveries', 'inbound-events'],
  'key-rotation': ['tracked-jobs', 'endpoints', 'integrations'],
};

const BASE = { config: [], common: ['config'] };

function allowedEdges() {
  return Object.entries(MAY_IMPORT).map(([module, targets]) => {
    const own = [module, ...(BASE[module] ?? ['config', 'common']), ...targets];
    return {
      from: { path: `^src/${module}/` },
      to: { path: `^(src/(${own.join('|')})/|node_modules/)` },
    };
  });
}

module.exports = {
  allowed: [
    ...allowedEdges(),
    // Node's own modules, from anywhere.
    { from: {}, to: { dependencyTypes: ['core'] } },
    // The composition roots wire everything together.
    { from: { path: '^src/(app\\.module|main|cli|worker|worker-processes)\\.ts$' }, to: { path: '^(src/|node_modules/)' } },
    // The database folder registers every module's entities and runs the migrations, nothing else.
    { from: { path: '^src/database/' }, to: { path: '^src/[^/]+/.*\\.entity\\.ts$' } },
    // The SQL helper every store uses.
    { from: { path: '^src/' }, to: { path: '^src/database/returning\\.ts$' } },
  ],
  allowedSeverity: 'error',
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle between files means two modules cannot be read, tested or changed apart.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'bull-only-in-the-queue-layer',
      severity: 'error',
      comment: 'Only common/queue and one *.queue.ts / *.processor.ts per module know Bull.',
      from: { path: '^src/', pathNot: '(^src/common/queue/|\\.queue\\.ts$|\\.processor\\.ts$)' },
      to: { path: '^node_modules/(bull|@nestjs/bull|@nestjs/bull-shared)/' },
    },
    {
      name: 'common-and-config-import-no-feature',
      severity: 'error',
      comment: 'common/ and config/ are below every feature; a feature import there is a cycle waiting to happen.',
      from: { path: '^src/(common|config)/' },
      to: { path: '^src/', pathNot: '^src/(common|config)/' },
    },
    {
      name: 'opentelemetry-only-in-common-telemetry',
      severity: 'error',
      comment:
        'Spans are made through common/telemetry (a no-op branch when tracing is off); only it knows the OTel packages.',
      from: { path: '^src/', pathNot: '^src/common/telemetry/' },
      to: { path: '^node_modules/@opentelemetry/' },
    },
    {
      name: 'src-never-imports-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'default', 'types'],
      mainFields: ['main', 'types'],
    },
  },
};
