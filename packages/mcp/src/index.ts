// @sochdb/mcp — SochDB as a Model Context Protocol server: one namespace of a database exposed to
// a model as tools (SQL, KV, collections, queues, graph, temporal, context) and resources.
export { createMcpServer } from './server.js';
export { serveStdio, type StdioServer } from './stdio.js';
export { serveHttp, type HttpServeOptions, type HttpServer } from './http.js';
export { checkMcpEndpoint, describeMcpEndpoint, type CheckedMcpEndpoint, type McpEndpointOptions } from './endpoint.js';
export { PACKAGE_VERSION, type McpServerOptions } from './options.js';
export { queueName } from './scope.js';
export { errorInfo, type ToolErrorInfo } from './tool-result.js';
