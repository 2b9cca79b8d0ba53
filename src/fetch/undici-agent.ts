// The one class of undici a run needs, loaded without the rest of the package. undici's index loads
// everything it ships (fetch, WebSocket, cookies, mock agents, HTTP/2, caches): 0.1 s of every run's
// start, a tenth of a run where every source answers 304. Agent and the request API are two of its
// modules; undici 7 has no "exports" map, so they are reachable, and the lockfile pins the layout.
// Should a later undici move them, the whole package is loaded instead: slower, never broken.
import { createRequire } from 'node:module';
import type { Agent as UndiciAgent } from 'undici';

const require = createRequire(import.meta.url);

type AgentClass = typeof UndiciAgent;

function loadAgent(): AgentClass {
  try {
    const dispatcher = require('undici/lib/dispatcher/dispatcher') as { prototype: Record<string, unknown> };
    // What undici's index does: the request API (request, stream, ...) lives on every dispatcher.
    if (typeof dispatcher.prototype['request'] !== 'function') {
      Object.assign(dispatcher.prototype, require('undici/lib/api') as object);
    }
    const agent = require('undici/lib/dispatcher/agent') as AgentClass;
    if (typeof agent === 'function' && typeof agent.prototype.request === 'function') return agent;
  } catch {
    // Moved in another version: the package's own entry point below.
  }
  return (require('undici') as { Agent: AgentClass }).Agent;
}

/** undici's Agent class. */
export const Agent: AgentClass = loadAgent();
