import { grpcWire, type SochDBServices } from '@sochdb/grpc-client';
import type { Database } from '@sochdb/sdk';
import type { ServiceImpl } from '../rpc.js';

export function sqlService(db: Database): ServiceImpl<SochDBServices['SqlService']['service']> {
  return {
    async Execute(request) {
      const { sql, params } = grpcWire.sqlRequestFromWire(request);
      // Rows in column order ('array'), so duplicate column names survive the wire.
      return grpcWire.sqlResultToWire(await db.executeSql(sql, params, { rowMode: 'array' }));
    },
  };
}
