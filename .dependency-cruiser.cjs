/**
 * The layering of src/, checked by test/unit/architecture/layering.test.ts (part of `npm test`) and
 * by `npx depcruise src --config .dependency-cruiser.cjs`.
 *
 * Layers, top to bottom:
 *   composition root  src/deps.ts, src/main.ts, src/cli/**, src/compose/**, src/simulation/** (`caio simulate`) (entry points and the wiring
 *                     of the API, the jobs, the server and the worker; compose/app-deps.ts is the type
 *                     of the opened app: may import anything)
 *   use cases         src/pipeline, src/signals, src/dispatch, src/jobs, src/escalation, src/queen
 *   adapters          src/store, src/providers, src/server, src/webhooks, src/observability, src/config
 *   domain            src/domain   (pure: imports only domain/ and lib/, no node:*, no I/O package)
 *   lib               src/lib      (imports only lib/ among our modules)
 *
 * Ports: the use cases' port files (types, and a few constant lists, that adapters implement or
 * call) may be imported by adapters; a port imports only domain/, lib/ and other ports, so that
 * importing one never pulls in an implementation.
 *
 * Type-only imports count like any other (the swc parser below sees `import type` too, and so
 * would tsc with tsPreCompilationDeps): a type is still a compile-time coupling, a cycle made of
 * type imports is still a cycle, and a type an adapter needs from a use case belongs in a port
 * file (or in domain/). Which cross-layer imports are fine is said by path (the port files), not
 * by the kind of import.
 *
 * Parser: TypeScript 7 (the native compiler this repo builds with) has no JavaScript API that
 * dependency-cruiser 17 can load, so TypeScript sources are parsed with @swc/core (a dev
 * dependency; its native binary ships in a registry package).
 */

const ROOT = '^src/(deps\\.ts$|main\\.ts$|cli/|compose/|simulation/)';
const USE_CASES = '^src/(pipeline|signals|dispatch|jobs|escalation|queen)/|^src/app-deps\\.ts$';
const ADAPTERS = '^src/(store|providers|server|webhooks|observability|config)/';
const PORTS = '^src/(pipeline|signals|dispatch|jobs|escalation|queen)/(ports|review-ports)\\.ts$';
/** What one adapter may use of another: its public entry, never its internals. */
const ADAPTER_ENTRIES = ['^src/store/index\\.ts$', '^src/config/load\\.ts$', '^src/webhooks/index\\.ts$'];
/** Each provider's inbound webhook (paths, auth, parse to a normalised signal). */
const PROVIDER_WEBHOOKS = '^src/providers/[a-z0-9]+/webhook\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere (type-only imports included).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ imports only domain/ and lib/: no node:* module, no store, provider, config, server or use case. ' + 'Of npm packages only pure ones (zod); today the domain imports none.',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/(domain|lib)/', '^node_modules/zod/'] },
    },
    {
      name: 'lib-is-the-bottom',
      severity: 'error',
      comment: 'lib/ imports only lib/ among our modules (npm packages and node:* are fine).',
      from: { path: '^src/lib/' },
      to: { path: '^src/', pathNot: '^src/lib/' },
    },
    {
      name: 'nothing-imports-the-root',
      severity: 'error',
      comment: 'Only the composition root (deps.ts, main.ts, cli/, compose/) imports the composition root. What a lower module needs ' + 'from it is a port (a type it declares) or a parameter.',
      from: { pathNot: ROOT },
      to: { path: ROOT },
    },
    {
      name: 'adapters-use-ports-not-use-cases',
      severity: 'error',
      comment: 'An adapter (store, providers, server, webhooks, observability, config) never imports a use case ' + '(pipeline, signals, dispatch, jobs, escalation), only its port files.',
      from: { path: ADAPTERS },
      to: { path: USE_CASES, pathNot: PORTS },
    },
    {
      name: 'signals-use-ports-not-adapters',
      severity: 'error',
      comment: 'The signal use cases (src/signals) reach the store, the providers and the other adapters only through the ' + 'ports declared in src/signals/ports.ts; the composition root (src/compose/signals.ts) hands them the adapters.',
      from: { path: '^src/signals/' },
      to: { path: ADAPTERS },
    },
    {
      name: 'use-cases-do-not-import-adapters',
      severity: 'error',
      comment:
        'The use cases (pipeline, dispatch, jobs, escalation, queen) reach the store, the providers, the server, the webhooks, ' +
        'observability and the config only through their ports; the composition root (src/compose/, src/deps.ts) builds ' +
        'the adapters and hands them in. A setting they need from the config is a port type the loaded config satisfies.',
      from: { path: '^src/(pipeline|dispatch|jobs|escalation|queen)/|^src/app-deps\\.ts$' },
      to: { path: ADAPTERS },
    },
    {
      name: 'adapters-do-not-import-each-others-internals',
      severity: 'error',
      comment: 'An adapter may use another adapter only through its entry module (store/index.ts, config/load.ts, ' + 'webhooks/index.ts); the store never imports the server.',
      from: { path: ADAPTERS },
      to: {
        path: ADAPTERS,
        pathNot: [
          '^src/$1/',
          ...ADAPTER_ENTRIES,
          // A provider's webhook.ts (its paths, auth and parse) is its entry for inbound deliveries;
          // only the door (webhooks/) may use it: see the next rule.
          PROVIDER_WEBHOOKS,
        ],
      },
    },
    {
      name: 'only-the-door-imports-provider-webhooks',
      severity: 'error',
      comment: "A provider's webhook.ts (src/providers/<name>/webhook.ts) is imported by webhooks/ (the door knows its " + 'providers) and within providers/; no other adapter reaches it except through webhooks/index.ts.',
      from: { path: ADAPTERS, pathNot: ['^src/webhooks/', '^src/providers/'] },
      to: { path: PROVIDER_WEBHOOKS },
    },
    {
      name: 'ports-import-only-ports-domain-and-lib',
      severity: 'error',
      comment: 'A port file imports only other ports, domain/ and lib/, so importing a port never pulls in an implementation.',
      from: { path: PORTS },
      to: { path: '^src/', pathNot: [PORTS, '^src/(domain|lib)/'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (an unresolved one could hide any of the above).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // swc parses TypeScript here (see the top); tsPreCompilationDeps says the same for tsc, were a
    // TypeScript with a JavaScript API installed: type-only imports count.
    parser: 'swc',
    tsPreCompilationDeps: true,
    // Resolve a package's "exports" map as Node does (csv-stringify/sync, for one).
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
