import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { resolveConsolePath, securityHeaders } from './console-policy';

const PREFIX = '/console';
const INDEX = 'index.html';

/** Answers /console requests from the build directory (CONSOLE_DIR, by default dist/console). */
@Injectable()
export class ConsoleFiles {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  serve(req: Request, res: Response): void {
    res.set(securityHeaders(this.config.consoleFrameAncestors, req.headers.host));
    const dir = this.config.consoleDir;
    if (!existsSync(join(dir, INDEX))) {
      res
        .status(503)
        .type('text/plain')
        .send('The console is not built: run `npm run build` (or `npm start`, which builds it when missing).\n');
      return;
    }
    const rawPath = req.originalUrl.split('?')[0];
    const target = resolveConsolePath(rawPath.slice(PREFIX.length), (p) => isFile(join(dir, p)));
    switch (target.kind) {
      case 'refused':
        res.status(400).type('text/plain').send('Bad path\n');
        return;
      case 'missing':
        res.status(404).type('text/plain').send('Not found\n');
        return;
      case 'file':
        // Built assets carry a content hash in their name: they never change.
        res.sendFile(target.relativePath, {
          root: dir,
          dotfiles: 'deny',
          headers: {
            'cache-control': target.relativePath.startsWith('assets/')
              ? 'public, max-age=31536000, immutable'
              : 'no-cache',
          },
        });
        return;
      case 'app':
        res
          .status(200)
          .set('cache-control', 'no-store')
          .type('text/html')
          .send(readFileSync(join(dir, INDEX)));
        return;
    }
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
