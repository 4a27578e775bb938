import { NotFoundError } from '../common/errors/domain-error';

/** No tracked job of the caller's tenant has this id. */
export class TrackedJobNotFoundError extends NotFoundError {
  constructor(id?: string) {
    super('TrackedJob', id, 'TRACKED_JOB_NOT_FOUND');
  }
}
