/** `pipewright codec-server`: the codec endpoint the Temporal Web UI calls to show encrypted payloads decrypted. */
import type { Command } from 'commander';
import { startCodecServer } from '../../platform/codec/codec-server';
import { createEncryptionCodec } from '../../platform/codec/encryption-codec';
import type { CliContext } from '../context';
import { configFor } from '../context';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { untilInterrupted } from '../interrupt';
import { parsePort } from '../options';

/** Where the endpoint listens when neither --port nor PIPEWRIGHT_CODEC_PORT says. */
export const DEFAULT_CODEC_PORT = 8888;

interface CodecServerOptions {
  readonly host?: string;
  readonly port?: number;
  readonly origin?: string;
}

export function registerCodecServer(program: Command, ctx: CliContext): void {
  program
    .command('codec-server')
    .description(
      'serve POST /codec/decode and /codec/encode with PIPEWRIGHT_CODEC_KEYS for the Web UI (its "codec endpoint")',
    )
    .option('--host <host>', 'address to listen on (PIPEWRIGHT_CODEC_HOST; default 127.0.0.1)')
    .option('--port <port>', `port (PIPEWRIGHT_CODEC_PORT; default ${DEFAULT_CODEC_PORT})`, parsePort)
    .option('--origin <origins>', 'comma-separated Web UI origins allowed by CORS (PIPEWRIGHT_CODEC_CORS_ORIGINS)')
    .action(async (options: CodecServerOptions, command: Command) => {
      const overrides: NodeJS.ProcessEnv = {};
      if (options.host !== undefined) overrides.PIPEWRIGHT_CODEC_HOST = options.host;
      if (options.origin !== undefined) overrides.PIPEWRIGHT_CODEC_CORS_ORIGINS = options.origin;
      const config = configFor(ctx, command, overrides);
      if (!config.codecKeys)
        throw new CliError(
          'PIPEWRIGHT_CODEC_KEYS (or PIPEWRIGHT_CODEC_KEYS_FILE) is unset: no keys to decode with',
          EXIT.invalidInput,
        );
      const { host, corsOrigins } = config.codecServer;
      const server = await startCodecServer({
        host,
        port: options.port ?? config.codecServer.port ?? DEFAULT_CODEC_PORT,
        corsOrigins,
        codec: createEncryptionCodec(config.codecKeys),
      });
      ctx.io.out(
        `codec endpoint on ${server.url}/codec (POST .../decode, .../encode); keys ${config.codecKeys.ids.join(', ')}; ` +
          `CORS for ${corsOrigins.join(', ') || 'no origin'}`,
      );
      await untilInterrupted();
      await server.close();
    });
}
