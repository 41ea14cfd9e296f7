/**
 * Settings of how a worker is deployed: a prebuilt workflow bundle, and Worker Versioning (the deployment name
 * and build id it registers with).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { optionalText } from './setting-types';

export const DEPLOYMENT_SETTINGS = {
  PIPEWRIGHT_WORKFLOW_BUNDLE: optionalText,
  PIPEWRIGHT_DEPLOYMENT_NAME: optionalText.pipe(
    z
      .string()
      .max(255)
      .regex(/^[^.\s]+$/, { message: 'expected a name without dots or spaces (Temporal joins name.buildId)' })
      .optional(),
  ),
  PIPEWRIGHT_BUILD_ID: optionalText.pipe(
    z.string().max(255).regex(/^\S+$/, { message: 'expected a build id without spaces' }).optional(),
  ),
  PIPEWRIGHT_VERSIONING_BEHAVIOR: z.enum(['pinned', 'auto-upgrade']).default('pinned'),
};
export type DeploymentSettings = z.infer<z.ZodObject<typeof DEPLOYMENT_SETTINGS>>;

/** Worker Versioning: the version this worker registers as, and how runs started on it move between versions. */
export interface WorkerVersioningConfig {
  readonly deploymentName: string;
  readonly buildId: string;
  /** PINNED: a run stays on the version it started on. AUTO_UPGRADE: it moves to the current version. */
  readonly defaultVersioningBehavior: 'PINNED' | 'AUTO_UPGRADE';
}

export interface DeploymentConfig {
  /** A workflow bundle written by `pipewright bundle`; the worker bundles at start when unset. */
  readonly workflowBundlePath?: string;
  /** Off (unversioned worker) unless both the deployment name and the build id are set. */
  readonly versioning?: WorkerVersioningConfig;
}

export function buildDeploymentConfig(e: DeploymentSettings): { config: DeploymentConfig; problems: string[] } {
  const problems: string[] = [];
  const name = e.PIPEWRIGHT_DEPLOYMENT_NAME;
  const buildId = e.PIPEWRIGHT_BUILD_ID;
  if (Boolean(name) !== Boolean(buildId))
    problems.push(
      name
        ? 'PIPEWRIGHT_BUILD_ID: missing; Worker Versioning needs PIPEWRIGHT_DEPLOYMENT_NAME and PIPEWRIGHT_BUILD_ID'
        : 'PIPEWRIGHT_DEPLOYMENT_NAME: missing; Worker Versioning needs PIPEWRIGHT_DEPLOYMENT_NAME and PIPEWRIGHT_BUILD_ID',
    );
  const bundle = e.PIPEWRIGHT_WORKFLOW_BUNDLE;
  if (bundle) {
    try {
      fs.accessSync(bundle, fs.constants.R_OK);
    } catch (err) {
      problems.push(
        `PIPEWRIGHT_WORKFLOW_BUNDLE: cannot read ${bundle} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}); ` +
          'write it with `pipewright bundle --out <file>`',
      );
    }
  }
  const versioning =
    name && buildId
      ? Object.freeze({
          deploymentName: name,
          buildId,
          defaultVersioningBehavior:
            e.PIPEWRIGHT_VERSIONING_BEHAVIOR === 'pinned' ? ('PINNED' as const) : ('AUTO_UPGRADE' as const),
        })
      : undefined;
  return { problems, config: { workflowBundlePath: bundle, versioning } };
}
