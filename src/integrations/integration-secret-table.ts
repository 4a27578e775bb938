import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ResealableTable } from '../common/crypto/resealable-table';
import { SecretBox } from '../common/crypto/secret-box';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * The integrations' webhook secrets and credentials for `secrets:reencrypt`, across every tenant (the key ring is
 * the platform's); each row is written back under its own tenant id.
 */
@Injectable()
export class IntegrationSecretTable extends ResealableTable {
  constructor(@InjectDataSource() dataSource: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    super(dataSource, new SecretBox(config.secretKeys), {
      table: 'integrations',
      columns: ['webhook_secret_encrypted', 'credentials_encrypted'],
    });
  }
}
