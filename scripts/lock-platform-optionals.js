#!/usr/bin/env node
// The npm registry reachable here lacks some platform builds of native optional packages (e.g. msgpackr-extract's
// darwin/win32 builds, jest's @unrs/resolver-binding-* for other platforms): `npm install` leaves them out of
// package-lock.json and `npm ci` then refuses the lock as out of sync. They are optional and for other
// platforms; declaring them with the os/cpu their names carry lets npm skip them on this one, as it would have.
// Run after any `npm install` that rewrites the lock: node scripts/lock-platform-optionals.js
const fs = require('node:fs');
const path = require('node:path');
const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const OS = ['android', 'darwin', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony', 'linux', 'win32'];
const CPU = [['arm64', 'arm64'], ['x64', 'x64'], ['ia32', 'ia32'], ['loong64', 'loong64'], ['ppc64', 'ppc64'], ['riscv64', 'riscv64'], ['s390x', 's390x'], ['arm', 'arm']];

function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const os = OS.find((o) => tokens.includes(o));
  const cpu = CPU.find(([token]) => tokens.includes(token))?.[1];
  if (!os || !cpu) return null;
  const libc = tokens.some((t) => t.startsWith('musl')) ? 'musl' : tokens.some((t) => t.startsWith('gnu')) ? 'glibc' : null;
  return { os, cpu, libc };
}

let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = key ? `${key}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform) continue;
    lock.packages[`node_modules/${name}`] = { version, cpu: [platform.cpu], ...(platform.libc ? { libc: [platform.libc] } : {}), optional: true, os: [platform.os] };
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`declared ${added} platform-only optional package(s) in package-lock.json\n`);
