/**
 * Notifications (`notify` in a definition): which run events POST a JSON document to a webhook, and the document.
 * Pure: the workflow decides what to send; the `notify` activity sends it.
 */
import { z } from 'zod';

/** A run ended completed or failed; a node was held (`onFailure: hold`); a node rejected more rows than allowed. */
export const NOTIFY_EVENTS = ['completed', 'failed', 'held', 'rejects'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** Webhook names: the worker reads `PIPEWRIGHT_NOTIFY_WEBHOOK_<NAME>` (or `..._FILE`). */
const WEBHOOK_NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

export const NotifyRuleSchema = z
  .object({
    /** The events to send (default: failed and held, the ones someone must act on). */
    on: z.array(z.enum(NOTIFY_EVENTS)).min(1, 'name at least one event').default(['failed', 'held']),
    /**
     * The webhook, by name: the workers' `PIPEWRIGHT_NOTIFY_WEBHOOK_<NAME>` setting holds its URL (it is a secret,
     * never in a definition). Default: `PIPEWRIGHT_NOTIFY_WEBHOOK`.
     */
    webhook: z
      .string()
      .regex(
        WEBHOOK_NAME_RE,
        'a webhook name: a letter, then letters, digits or "_" (the worker reads PIPEWRIGHT_NOTIFY_WEBHOOK_<NAME>)',
      )
      .optional(),
    /** For `rejects`: a node that rejected more than this many rows sends one notification (default 0: any). */
    rejectsOver: z.number().int().min(0).default(0),
  })
  .strict();
export type NotifyRule = z.infer<typeof NotifyRuleSchema>;

/** One rule, or a list of them (several webhooks, or other events to another one); always a list once parsed. */
export const NotifySchema = z.preprocess(
  (v) => (v === undefined || Array.isArray(v) ? v : [v]),
  z.array(NotifyRuleSchema).min(1, 'give at least one notify rule'),
);

/** A node as the document shows it. */
export interface NotifiedNode {
  readonly id: string;
  readonly type: string;
  readonly state: string;
  readonly error?: { readonly type: string; readonly message: string };
  /** rowsRead, rowsWritten, rowsRejected, ... as the node reported them. */
  readonly rows?: Readonly<Record<string, number>>;
}

/** What is POSTed (the activity adds `url`, the run's page in the Web UI, when the worker knows the UI's address). */
export interface NotificationDocument {
  readonly event: NotifyEvent;
  readonly pipeline: { readonly name: string; readonly version: string };
  readonly workflowId: string;
  readonly runId: string;
  readonly url?: string;
  readonly state: string;
  /** Workflow time of the event. */
  readonly at: string;
  /** For `held` and `rejects`: the node the event is about. */
  readonly node?: NotifiedNode;
  /** Nodes that failed or are held, with their errors. */
  readonly failedNodes: readonly NotifiedNode[];
  /** Every node that reported row counts. */
  readonly rows: readonly NotifiedNode[];
  readonly counts: Readonly<Record<string, number>>;
}
