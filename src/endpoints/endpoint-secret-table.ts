import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ResealableTable } from '../common/crypto/resealable-table';
import { SecretBox } from '../common/crypto/secret-box';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * The endpoints' secrets (current and previous; a registration's one secret lives on each of its endpoints) for
 * `secrets:reencrypt`. Platform-wide on purpose: the key ring is the platform's, so the walk covers every tenant,
 * and each row is written back under its own tenant id.
 */
@Injectable()
export class EndpointSecretTable extends ResealableTable {
  constructor(@InjectDataSource() dataSource: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    super(dataSource, new SecretBox(config.secretKeys), {
      table: 'endpoints',
      columns: ['secret_encrypted', 'previous_secret_encrypted'],
    });
  }
}
