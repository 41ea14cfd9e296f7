/**
 * Whether a namespace has pipewright's search attributes registered. A run started with attributes the namespace
 * lacks is refused, and a workflow that upserts them fails its tasks; so the client sets them, and tells the
 * workflow to keep them current, only where they exist.
 */
import type { ConnectionLike } from '@temporalio/client';
import { PIPELINE_SEARCH_ATTRIBUTES } from '../model/search-attributes';

/** temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD. */
const KEYWORD = 2;

/** True when every pipewright attribute is registered as Keyword; false when not, or when the server won't say. */
export async function hasPipelineSearchAttributes(connection: ConnectionLike, namespace: string): Promise<boolean> {
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    return PIPELINE_SEARCH_ATTRIBUTES.every((key) => {
      const type: unknown = customAttributes?.[key.name];
      return type === KEYWORD || type === 'INDEXED_VALUE_TYPE_KEYWORD';
    });
  } catch {
    // Some servers refuse the operator API to this caller (e.g. a cloud API key without the right role).
    return false;
  }
}
