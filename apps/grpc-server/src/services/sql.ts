import { grpcWire, type Database, type SochDBServices } from '@sochdb/sdk';
import type { ServiceImpl } from '../rpc.js';

export function sqlService(db: Database): ServiceImpl<SochDBServices['SqlService']['service']> {
  return {
    async Execute(request) {
      const { sql, params } = grpcWire.sqlRequestFromWire(request);
      // Database.executeSql is typed with object rows only; with rowMode 'array' the engine
      // returns rows in column order, which the wire needs to keep duplicate column names.
      const result = (await db.executeSql(sql, params, { rowMode: 'array' })) as unknown as grpcWire.ArraySqlResult;
      return grpcWire.sqlResultToWire(result);
    },
  };
}
