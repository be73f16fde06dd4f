import { NotFoundError, type SochDBErrorOptions } from '@sochdb/core';

/** A node named by an operation does not exist in its namespace (graph codes are 8xxx). */
export class GraphNodeNotFoundError extends NotFoundError {
  override readonly code = 8001 as const;
  readonly namespace: string;
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
