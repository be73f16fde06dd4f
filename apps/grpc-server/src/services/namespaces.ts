import type { SochDBServices } from '@sochdb/grpc-client';
import type { Database } from '@sochdb/sdk';
import type { ServiceImpl } from '../rpc.js';

export function namespaceService(db: Database): ServiceImpl<SochDBServices['NamespaceService']['service']> {
  return {
    async CreateNamespace({ name, displayName, labels }) {
      return (await db.createNamespace({ name, labels, ...(displayName === '' ? {} : { displayName }) })).info;
    },
    async GetNamespace({ name }) {
      return (await db.namespace(name)).info;
    },
    async ListNamespaces() {
      return { namespaces: await db.listNamespaces() };
    },
    async DeleteNamespace({ name }) {
      await db.deleteNamespace(name);
      return {};
    },
  };
}
