import { findViolations, ownership, SourceFile } from './table-ownership';

const entities: SourceFile[] = [
  { path: 'src/endpoints/endpoint.entity.ts', text: "@Entity('endpoints')\nexport class EndpointEntity {}" },
  {
    path: 'src/filters/filter-reducer.entity.ts',
    text: "@Entity({ name: 'endpoint_filters' })\nexport class FilterReducerEntity {}",
  },
];

describe('table ownership', () => {
  it('reads the owner of each table and entity from the entity files', () => {
    const { tables, entities: classes } = ownership(entities);
    expect([...tables]).toEqual([
      ['endpoints', 'endpoints'],
      ['endpoint_filters', 'filters'],
    ]);
    expect(classes.get('FilterReducerEntity')).toBe('filters');
  });

  it("flags SQL that names another module's table, on its line", () => {
    const file = {
      path: 'src/endpoints/endpoints.service.ts',
      text: 'const a = 1;\nconst sql = `SELECT 1 FROM endpoint_filters f JOIN "endpoints" e`;',
    };
    expect(findViolations([...entities, file])).toEqual([
      { path: file.path, line: 2, module: 'endpoints', table: 'endpoint_filters', owner: 'filters', how: 'sql' },
    ]);
  });

  it("flags a repository of another module's entity, through forFeature or @InjectRepository", () => {
    const files = [
      {
        path: 'src/deliveries/deliveries.module.ts',
        text: 'TypeOrmModule.forFeature([DeliveryEntity, EndpointEntity])',
      },
      {
        path: 'src/deliveries/store.ts',
        text: '@InjectRepository(FilterReducerEntity) private readonly f: Repository<X>',
      },
    ];
    expect(findViolations([...entities, ...files]).map((v) => [v.path, v.table, v.owner, v.how])).toEqual([
      ['src/deliveries/deliveries.module.ts', 'EndpointEntity', 'endpoints', 'repository'],
      ['src/deliveries/store.ts', 'FilterReducerEntity', 'filters', 'repository'],
    ]);
  });

  it('lets a module query its own tables, and lets migrations and specs name any', () => {
    const files = [
      { path: 'src/filters/filters.service.ts', text: 'DELETE FROM endpoint_filters WHERE tenant_id = $1' },
      { path: 'src/database/migrations/1-Initial.ts', text: 'UPDATE endpoint_filters SET x = 1' },
      { path: 'src/endpoints/x.spec.ts', text: 'SELECT * FROM endpoint_filters' },
    ];
    expect(findViolations([...entities, ...files])).toEqual([]);
  });
});
