/** Errors of the payload codec. */

/** Thrown when the codec keys setting cannot be used; each problem says which key and why, never the key itself. */
export class InvalidCodecKeysError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'InvalidCodecKeysError';
  }
}

/** Thrown when a payload was encrypted with a key id this process does not hold. */
export class UnknownCodecKeyError extends Error {
  constructor(
    readonly keyId: string,
    readonly knownKeyIds: readonly string[],
  ) {
    super(
      `cannot decrypt a payload encrypted with key id "${keyId}": this process knows only ` +
        `${knownKeyIds.map((k) => `"${k}"`).join(', ')}; add that key to PIPEWRIGHT_CODEC_KEYS`,
    );
    this.name = 'UnknownCodecKeyError';
  }
}

/** Thrown when an encrypted payload does not authenticate (tampered with, truncated, or a different key). */
export class PayloadDecryptionError extends Error {
  constructor(
    readonly keyId: string,
    readonly reason: string,
  ) {
    super(`cannot decrypt a payload with key id "${keyId}": ${reason}`);
    this.name = 'PayloadDecryptionError';
  }
}

/**
 * Thrown when a credentials file of the codec endpoint (tokens, JWT keys) cannot be used; each problem says where
 * (a line, a key) and why, never showing a token or a key.
 */
export class InvalidCodecCredentialsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'InvalidCodecCredentialsError';
  }
}
