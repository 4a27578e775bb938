/** The TypeORM CLI's DataSource (npm run migration:generate|run|revert); the same definition the app uses. */
import { loadConfig } from './src/config/app-config';
import { createDataSource } from './src/database/data-source';

export default createDataSource(loadConfig().databaseUrl);
