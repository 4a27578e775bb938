import { Module } from '@nestjs/common';
import { ConsoleFiles } from './console-files';
import { ConsoleHostController } from './console-host.controller';

/** The web console's static files under /console (api role only). The console itself lives in console/. */
@Module({ controllers: [ConsoleHostController], providers: [ConsoleFiles] })
export class ConsoleHostModule {}
