import { NotFoundError, type SochDBErrorOptions } from '@sochdb/core';

/** A node named by an operation does not exist in its namespace (graph codes are 8xxx). */
export class GraphNodeNotFoundError extends NotFoundError {
  /** Stable code for this error, whatever the message says. */
  override readonly code = 8001 as const;
  /** The namespace that was searched. */
  readonly namespace: string;
  /** The missing node's id (the message says which argument named it: `fromId`, `startNode`, ...). */
  readonly nodeId: string;
  constructor(namespace: string, nodeId: string, role = 'node', options: SochDBErrorOptions = {}) {
    super(`${role} ${JSON.stringify(nodeId)} does not exist in graph namespace ${JSON.stringify(namespace)}`, {
      remediation: `Add it first with addNode({ namespace, nodeId: ${JSON.stringify(nodeId)}, nodeType }).`,
      ...options,
    });
    this.namespace = namespace;
    this.nodeId = nodeId;
  }
}
