// Original file: proto/sochdb.proto

import type { NamespaceInfo as _sochdb_v1_NamespaceInfo, NamespaceInfo__Output as _sochdb_v1_NamespaceInfo__Output } from '../../sochdb/v1/NamespaceInfo.js';

export interface ListNamespacesResponse {
  namespaces?: _sochdb_v1_NamespaceInfo[];
}

export interface ListNamespacesResponse__Output {
  namespaces: _sochdb_v1_NamespaceInfo__Output[];
}
