// The wire-level pieces the IPC benchmark needs to build its bare echo baseline with the very same
// framing as the server. Imported from @sochdb/ipc's source (they are not part of its public API).
export {
  encodeFrame as encodeFrameForBench,
  FrameReader as FrameReaderForBench,
  PayloadWriter as PayloadWriterForBench,
} from '../../packages/ipc/src/protocol.js';
export { IpcClient, IpcOp, IpcServer, IpcStatus } from '@sochdb/sdk';
export { LevelStorage } from '@sochdb/core';
