import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { ConsoleFiles } from './console-files';

/** GET /console and everything under it: the built console, or its index.html for the app's history routes. */
@Controller()
@Public()
export class ConsoleHostController {
  constructor(private readonly files: ConsoleFiles) {}

  @Get(['console', 'console/*path'])
  serve(@Req() req: Request, @Res() res: Response): void {
    this.files.serve(req, res);
  }
}
