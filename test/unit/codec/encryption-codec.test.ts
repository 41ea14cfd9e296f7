/**
 * The AES-256-GCM payload codec: ciphertext out, the same payloads back, rotation (old payloads still decode),
 * and clear failures for an unknown key id or an altered payload; the key ring never prints key material.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { createEncryptionCodec, isEncrypted, KEY_ID_METADATA } from '../../../src/platform/codec/encryption-codec';
import {
  InvalidCodecKeysError,
  PayloadDecryptionError,
  UnknownCodecKeyError,
} from '../../../src/platform/codec/errors';
import { parseKeyRing } from '../../../src/platform/codec/key-ring';

const newKey = (): string => randomBytes(32).toString('base64');
const [oldKey, currentKey] = [newKey(), newKey()];
const text = (b: Uint8Array | null | undefined): string => Buffer.from(b ?? []).toString('utf8');

const input = {
  definition: { name: 'secret-pipeline', nodes: [{ id: 'load-customers', type: 'sleep', params: { duration: '1s' } }] },
};

test('encode produces ciphertext naming only the key id; decode gives the payloads back', async () => {
  const codec = createEncryptionCodec(parseKeyRing(`k1:${currentKey}`));
  const plain = [defaultPayloadConverter.toPayload(input), defaultPayloadConverter.toPayload(null)];
  const encoded = await codec.encode(plain);
  expect(encoded).toHaveLength(2);
  for (const p of encoded) {
    expect(isEncrypted(p)).toBe(true);
    expect(text(p.metadata?.[KEY_ID_METADATA])).toBe('k1');
    expect(Object.keys(p.metadata ?? {}).sort()).toEqual(['encoding', 'encryption-cipher', 'encryption-key-id']);
    for (const secret of ['secret-pipeline', 'load-customers', 'json/plain', 'duration']) {
      expect(text(p.data)).not.toContain(secret);
      expect(Buffer.from(p.data ?? []).toString('base64')).not.toContain(Buffer.from(secret).toString('base64'));
    }
  }
  // A fresh IV per payload: the same plaintext never gives the same ciphertext.
  const again = await codec.encode([plain[0] as Payload]);
  expect(Buffer.from(again[0]?.data ?? []).equals(Buffer.from(encoded[0]?.data ?? []))).toBe(false);
  const decoded = await codec.decode(encoded);
  expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([input, null]);
  expect(text(decoded[0]?.metadata?.encoding)).toBe('json/plain');
});

test('after rotation, payloads encrypted with the old key still decode; new ones use the new key', async () => {
  const before = createEncryptionCodec(parseKeyRing(`2025-11:${oldKey}`));
  const [old] = await before.encode([defaultPayloadConverter.toPayload(input)]);
  const rotated = createEncryptionCodec(parseKeyRing(`2026-05:${currentKey},2025-11:${oldKey}`));
  expect(defaultPayloadConverter.fromPayload((await rotated.decode([old as Payload]))[0] as Payload)).toEqual(input);
  const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload(input)]);
  expect(text(fresh?.metadata?.[KEY_ID_METADATA])).toBe('2026-05');
  // The current key can also be chosen explicitly, whatever the order.
  const chosen = createEncryptionCodec(parseKeyRing(`2025-11:${oldKey} 2026-05:${currentKey}`, '2026-05'));
  const [viaChosen] = await chosen.encode([defaultPayloadConverter.toPayload(1)]);
  expect(text(viaChosen?.metadata?.[KEY_ID_METADATA])).toBe('2026-05');
});

test('an unknown key id fails clearly, naming the id and the known ones; never passes ciphertext through', async () => {
  const [old] = await createEncryptionCodec(parseKeyRing(`retired:${oldKey}`)).encode([
    defaultPayloadConverter.toPayload(input),
  ]);
  const codec = createEncryptionCodec(parseKeyRing(`k1:${currentKey},k0:${newKey()}`));
  const failure = codec.decode([old as Payload]);
  await expect(failure).rejects.toThrow(UnknownCodecKeyError);
  await expect(failure).rejects.toThrow(
    'cannot decrypt a payload encrypted with key id "retired": this process knows only "k1", "k0"; ' +
      'add that key to PIPEWRIGHT_CODEC_KEYS',
  );
});

test('an altered payload or a key id swapped to another known key fails authentication', async () => {
  const ring = parseKeyRing(`a:${currentKey},b:${oldKey}`);
  const codec = createEncryptionCodec(ring);
  const [p] = await codec.encode([defaultPayloadConverter.toPayload(input)]);
  const data = Buffer.from(p?.data ?? []);
  data[20] = (data[20] ?? 0) ^ 1;
  await expect(codec.decode([{ ...p, data }])).rejects.toThrow(PayloadDecryptionError);
  const swapped = { ...p, metadata: { ...p?.metadata, [KEY_ID_METADATA]: Buffer.from('b') } };
  await expect(codec.decode([swapped])).rejects.toThrow(/key id "b": authentication failed/);
  await expect(codec.decode([{ ...p, data: data.subarray(0, 10) }])).rejects.toThrow(/truncated/);
});

test('payloads written before encryption was turned on decode as they are', async () => {
  const codec = createEncryptionCodec(parseKeyRing(`k1:${currentKey}`));
  const plain = defaultPayloadConverter.toPayload({ a: 1 });
  expect(await codec.decode([plain])).toEqual([plain]);
});

test('bad keys are refused with the key id and the reason, never the key', () => {
  const short = randomBytes(16).toString('base64');
  const problems = (spec: string, current?: string): readonly string[] => {
    try {
      parseKeyRing(spec, current);
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidCodecKeysError);
      return (err as InvalidCodecKeysError).problems;
    }
    throw new Error('accepted');
  };
  expect(problems(`k1:${short}`)).toEqual(['key "k1": 16 bytes; AES-256-GCM needs 32 (openssl rand -base64 32)']);
  expect(problems('k1:not*base64!')).toEqual([
    'key "k1": not valid base64 (generate one with: openssl rand -base64 32)',
  ]);
  expect(problems(`k1:${currentKey},k1:${oldKey}`)).toEqual(['key "k1": given twice']);
  expect(problems(currentKey)[0]).toMatch(/^entry 1: expected id:base64key/);
  expect(problems(`k1:${currentKey}`, 'k9')).toEqual(['the current key id "k9" is not among the keys (k1)']);
  expect(problems('')).toEqual(['no keys: expected id:base64key entries separated by commas']);
  expect(problems(`k1:${short}`).join(' ')).not.toContain(short);
});

test('a key ring prints and serializes its ids only', () => {
  const ring = parseKeyRing(`k1:${currentKey},k0:${oldKey}`);
  for (const shown of [inspect(ring), JSON.stringify(ring), inspect({ config: { ring } }, { depth: 5 })]) {
    expect(shown).toContain('k1');
    expect(shown).not.toContain(currentKey);
    expect(shown).not.toContain(oldKey);
  }
});
