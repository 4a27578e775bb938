import { Provider } from '@nestjs/common';
import { AppRole, hasWorkerRole } from './app-config';

/** The role of this process, read once when modules are declared (APP_ROLE, validated again at boot). */
export function currentRole(): AppRole {
  const role = process.env.APP_ROLE;
  return role === AppRole.Api || role === AppRole.Worker ? role : AppRole.All;
}

/** Queue processors are registered only in processes that work queues (APP_ROLE=worker|all). */
export function workerOnly(...providers: Provider[]): Provider[] {
  return hasWorkerRole(currentRole()) ? providers : [];
}
