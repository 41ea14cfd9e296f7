/**
 * A Temporal payload codec that encrypts every payload with AES-256-GCM: the whole payload (metadata and data,
 * protobuf-serialized) becomes the ciphertext of a new payload whose metadata says only `binary/encrypted` and
 * the key id. Used alike by clients, workers and the codec endpoint.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { PayloadDecryptionError, UnknownCodecKeyError } from './errors';
import type { KeyRing } from './key-ring';

/** The `encoding` of encrypted payloads. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';
/** Metadata key naming the cipher, so another format can come later. */
export const CIPHER_METADATA = 'encryption-cipher';
export const CIPHER = 'AES-256-GCM';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const text = new TextEncoder();
const untext = new TextDecoder();

const metadataText = (payload: Payload, key: string): string | undefined => {
  const value = payload.metadata?.[key];
  return value ? untext.decode(value) : undefined;
};

/** Whether a payload is one this codec wrote. */
export function isEncrypted(payload: Payload): boolean {
  return metadataText(payload, 'encoding') === ENCRYPTED_ENCODING;
}

function encrypt(payload: Payload, keyId: string, key: Buffer): Payload {
  const plain = temporal.api.common.v1.Payload.encode(payload).finish();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // The key id is authenticated with the data: a payload whose id was swapped fails instead of decoding.
  cipher.setAAD(text.encode(keyId));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    metadata: {
      encoding: text.encode(ENCRYPTED_ENCODING),
      [KEY_ID_METADATA]: text.encode(keyId),
      [CIPHER_METADATA]: text.encode(CIPHER),
    },
    data: Buffer.concat([iv, body, cipher.getAuthTag()]),
  };
}

function decrypt(payload: Payload, keys: KeyRing): Payload {
  const keyId = metadataText(payload, KEY_ID_METADATA);
  if (!keyId) throw new PayloadDecryptionError('(none)', `the payload has no ${KEY_ID_METADATA} metadata`);
  const cipherName = metadataText(payload, CIPHER_METADATA) ?? CIPHER;
  if (cipherName !== CIPHER) throw new PayloadDecryptionError(keyId, `unknown cipher "${cipherName}"`);
  const key = keys.key(keyId);
  if (!key) throw new UnknownCodecKeyError(keyId, keys.ids);
  const data = payload.data ?? new Uint8Array();
  if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(keyId, 'the ciphertext is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
  decipher.setAAD(text.encode(keyId));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new PayloadDecryptionError(keyId, 'authentication failed (the payload was altered, or the key is wrong)');
  }
  const decoded = temporal.api.common.v1.Payload.decode(plain);
  return { metadata: decoded.metadata ?? {}, data: decoded.data ?? new Uint8Array() };
}

/**
 * Encrypts with the ring's current key; decrypts with whichever key the payload names. Payloads that are not
 * encrypted (written before encryption was turned on) decode as they are; an encrypted payload that cannot be
 * decrypted fails with {@link UnknownCodecKeyError} or {@link PayloadDecryptionError}, never passes through.
 */
export function createEncryptionCodec(keys: KeyRing): PayloadCodec {
  return {
    async encode(payloads) {
      const keyId = keys.currentKeyId;
      const key = keys.key(keyId) as Buffer;
      return payloads.map((p) => encrypt(p, keyId, key));
    },
    async decode(payloads) {
      return payloads.map((p) => (isEncrypted(p) ? decrypt(p, keys) : p));
    },
  };
}
