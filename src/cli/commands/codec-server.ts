/** `pipewright codec-server`: the codec endpoint the Temporal Web UI calls to show encrypted payloads decrypted. */
import type { Command } from 'commander';
import { startCodecServer } from '../../platform/codec/codec-server';
import { describeCodecAuth, missingCredentials } from '../../platform/codec/credentials';
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
  readonly tokensFile?: string;
  readonly jwtKeysFile?: string;
  readonly auth?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
}

/** The options that stand for settings. */
const SETTING_OF: Record<string, string> = {
  host: 'PIPEWRIGHT_CODEC_HOST',
  origin: 'PIPEWRIGHT_CODEC_CORS_ORIGINS',
  tokensFile: 'PIPEWRIGHT_CODEC_TOKENS_FILE',
  jwtKeysFile: 'PIPEWRIGHT_CODEC_JWT_KEYS_FILE',
  auth: 'PIPEWRIGHT_CODEC_AUTH',
  tlsCert: 'PIPEWRIGHT_CODEC_TLS_CERT',
  tlsKey: 'PIPEWRIGHT_CODEC_TLS_KEY',
};

export function registerCodecServer(program: Command, ctx: CliContext): void {
  program
    .command('codec-server')
    .description(
      'serve POST /codec/decode and /codec/encode with PIPEWRIGHT_CODEC_KEYS for the Web UI (its "codec endpoint")',
    )
    .option('--host <host>', 'address to listen on (PIPEWRIGHT_CODEC_HOST; default 127.0.0.1)')
    .option('--port <port>', `port (PIPEWRIGHT_CODEC_PORT; default ${DEFAULT_CODEC_PORT})`, parsePort)
    .option('--origin <origins>', 'comma-separated Web UI origins allowed by CORS (PIPEWRIGHT_CODEC_CORS_ORIGINS)')
    .option(
      '--tokens-file <file>',
      'bearer tokens, "<id> <token> <namespace>[,...]" a line (PIPEWRIGHT_CODEC_TOKENS_FILE)',
    )
    .option('--jwt-keys-file <file>', 'JWKS or PEM public keys that verify JWTs (PIPEWRIGHT_CODEC_JWT_KEYS_FILE)')
    .option('--auth <mode>', 'credentials (the default) or none: anyone may decrypt (PIPEWRIGHT_CODEC_AUTH)')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PIPEWRIGHT_CODEC_TLS_CERT)')
    .option('--tls-key <file>', 'and its private key (PIPEWRIGHT_CODEC_TLS_KEY)')
    .action(async (options: CodecServerOptions, command: Command) => {
      const overrides: NodeJS.ProcessEnv = {};
      for (const [option, setting] of Object.entries(SETTING_OF)) {
        const value = options[option as keyof CodecServerOptions];
        if (value !== undefined) overrides[setting] = String(value);
      }
      const config = configFor(ctx, command, overrides);
      if (!config.codecKeys)
        throw new CliError(
          'PIPEWRIGHT_CODEC_KEYS (or PIPEWRIGHT_CODEC_KEYS_FILE) is unset: no keys to decode with',
          EXIT.invalidInput,
        );
      const missing = missingCredentials(config.codecServer.auth);
      if (missing) throw new CliError(missing, EXIT.invalidInput);
      const { corsOrigins, auth } = config.codecServer;
      const server = await startCodecServer({
        ...config.codecServer,
        port: options.port ?? config.codecServer.port ?? DEFAULT_CODEC_PORT,
        codec: createEncryptionCodec(config.codecKeys),
        log: (line) => ctx.io.err(line),
      });
      ctx.io.out(
        `codec endpoint on ${server.url}/codec (POST .../decode, .../encode); keys ${config.codecKeys.ids.join(', ')}; ` +
          `CORS for ${corsOrigins.join(', ') || 'no origin'}; ${describeCodecAuth(auth)}`,
      );
      await untilInterrupted();
      await server.close();
    });
}
