/**
 * The `notify` activity: POSTs a run event's JSON document to a webhook through the webhook origin's circuit breaker,
 * once per key. The key is claimed in a Postgres transaction that stays open while the POST is made and commits once
 * the webhook answered 2xx: an attempt retried after that, or another worker, finds the key and sends nothing. A
 * crash between the webhook's answer and the commit can still send an event twice; the `Idempotency-Key` header (the
 * key) lets a receiver drop the second one. 5xx, 429 and network failures are retried; other 4xx answers are not.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { DataServices } from '../src/data/services';
import type { NotifyInput, NotifyResult } from '../src/engine/contract';
import { quoteIdent } from '../src/model/identifiers';
import { withTransaction } from '../src/platform/db/pools';
import { displayUrl } from '../src/platform/http/fetch-json';
import { classifyError } from '../src/platform/resilience/classify';
import { HttpRequestError, HttpStatusError } from '../src/platform/resilience/errors';
import { httpResource } from '../src/platform/resilience/resources';

export interface NotifyDeps {
  readonly data: DataServices;
  /** Webhook URLs by name; `''` is the default webhook (`PIPEWRIGHT_NOTIFY_WEBHOOK`). */
  readonly webhooks: Readonly<Record<string, string>>;
  /** The run's page in the Web UI: `<uiBase>/namespaces/<namespace>/workflows/<id>`. */
  readonly uiBase?: string;
  readonly namespace: string;
}

export function createNotify(deps: NotifyDeps): (input: NotifyInput) => Promise<NotifyResult> {
  const table = `${quoteIdent(deps.data.projectSchema, 'schema')}.notifications_sent`;
  return async function notify(input) {
    const name = input.webhook?.toLowerCase() ?? '';
    const url = deps.webhooks[name];
    if (url === undefined)
      throw ApplicationFailure.create({
        type: 'NotifyWebhookMissing',
        nonRetryable: true,
        message: `no URL for webhook ${input.webhook ? `"${input.webhook}"` : '(default)'}: set ${settingOf(input.webhook)} (or ${settingOf(input.webhook)}_FILE) on the workers`,
      });
    const document = {
      ...input.document,
      ...(deps.uiBase ? { url: runUrl(deps.uiBase, deps.namespace, input.document.workflowId) } : {}),
    };
    const pool = deps.data.pool();
    await deps.data.ready(pool);
    try {
      return await withTransaction(pool, async (client) => {
        const claimed = await client.query(
          `INSERT INTO ${table} (key, workflow_id, event, status) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING`,
          [keyOf(input), input.document.workflowId, input.document.event],
        );
        if (claimed.rowCount !== 1) return { sent: false };
        const status = await deps.data.breaker(httpResource(url)).call((signal) => post(url, input, document, signal));
        await client.query(`UPDATE ${table} SET status = $2 WHERE key = $1`, [keyOf(input), status]);
        return { sent: true, status };
      });
    } catch (err) {
      if (err instanceof ApplicationFailure) throw err;
      const c = classifyError(err);
      throw ApplicationFailure.create({
        type: c?.type ?? 'NotifyFailed',
        nonRetryable: c ? !c.retryable : false,
        message: `notification ${input.key} to ${displayUrl(url)}: ${c?.message ?? (err as Error).message}`,
      });
    }
  };
}

const settingOf = (webhook: string | undefined): string =>
  webhook ? `PIPEWRIGHT_NOTIFY_WEBHOOK_${webhook.toUpperCase()}` : 'PIPEWRIGHT_NOTIFY_WEBHOOK';

/** Unique per run and event across every run (keys from the workflow are unique within one run); also the header. */
const keyOf = (input: NotifyInput): string => `${input.document.workflowId}/${input.document.runId}/${input.key}`;

function runUrl(base: string, namespace: string, workflowId: string): string {
  return `${base.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

async function post(url: string, input: NotifyInput, document: object, signal: AbortSignal): Promise<number> {
  const shown = displayUrl(url);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': keyOf(input),
        'user-agent': 'pipewright',
      },
      body: JSON.stringify(document),
      signal,
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    throw new HttpRequestError(
      shown,
      typeof cause?.code === 'string' ? cause.code : undefined,
      typeof cause?.message === 'string' ? cause.message : (err as Error).message,
      { cause: err },
    );
  }
  await res.body?.cancel().catch(() => undefined);
  if (!res.ok) throw new HttpStatusError(shown, res.status, res.statusText);
  return res.status;
}
