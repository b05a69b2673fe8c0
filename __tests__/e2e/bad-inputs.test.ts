/**
 * The bad-input corpus (suites/bad-inputs.cases.ts): every input refused before anything is
 * written. Beside it, the positive controls: inputs that look odd but are fine, and must run.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { makeJwt, type AuthJson } from './fakes/authority.js'
import { scratchDir } from './harness/paths.js'
import { codexHomeOf, errorsOf, readAuth, useScenario } from './harness/scenario.js'
import { table, type BadInputContext } from './suites/bad-inputs.cases.js'

const scenario = useScenario()
const context: BadInputContext = { scenario }

describe(table.title, () => {
  test.each(table.cases.map(c => [`${c.area}: ${c.name}`, c] as const))('%s', (_, c) =>
    c.run(context)
  )
})

/**
 * Runs mode run on a new runner (directory storage into a path that does not exist yet) and checks
 * that Codex completed a real turn; returns the prompt the fake backend received.
 */
async function runsATurn(inputs: Record<string, string>, seed: AuthJson): Promise<string> {
  const { world } = scenario
  const job = scenario.freshJob()
  const turns = world.backend.turns.length
  const main = await job.runAction({
    'auth-json': JSON.stringify(seed),
    storage: 'directory',
    'storage-path': path.join(scratchDir('store'), 'codex-session'),
    'codex-path': world.codexPath,
    ...inputs
  })
  expect({ exitCode: main.exitCode, errors: errorsOf(main) }).toEqual({ exitCode: 0, errors: [] })
  expect(main.outputs).toMatchObject({ 'codex-exit-code': '0', 'final-message': 'OK' })
  expect(world.backend.turns.length).toBe(turns + 1)
  const [post] = await job.finish()
  expect(post!.exitCode).toBe(0)
  return world.backend.turns.at(-1)!
}

describe('not bad: a prompt that looks like options, or is large, reaches Codex as the prompt', () => {
  test('a prompt-file over 128 KiB (once E2BIG as an argument) runs, and all of it reaches the backend', async () => {
    const job = scenario.freshJob()
    const line = 'Background detail that the model may skim over without harm. '
    const body = line.repeat(Math.ceil((200 * 1024) / line.length))
    const prompt = `FIRST-MARKER-3141\n${body}\nLAST-MARKER-2718: reply OK\n`
    expect(Buffer.byteLength(prompt)).toBeGreaterThan(128 * 1024)
    const file = path.join(scratchDir('prompt'), 'big-prompt.md')
    writeFileSync(file, prompt)
    job.give(file)
    const { world } = scenario
    const turns = world.backend.turns.length
    const main = await job.runAction({
      'auth-json': JSON.stringify(world.authority.signIn()),
      storage: 'directory',
      'storage-path': path.join(scratchDir('store'), 'codex-session'),
      'codex-path': world.codexPath,
      'prompt-file': file
    })
    expect({ exitCode: main.exitCode, errors: errorsOf(main) }).toEqual({ exitCode: 0, errors: [] })
    expect(main.outputs['codex-exit-code']).toBe('0')
    expect(world.backend.turns.length).toBe(turns + 1)
    const sent = world.backend.turns.at(-1)!
    expect(sent).toContain('FIRST-MARKER-3141')
    expect(sent).toContain('LAST-MARKER-2718')
    expect(sent.length).toBeGreaterThan(200 * 1024)
    const [post] = await job.finish()
    expect(post!.exitCode).toBe(0)
  })

  test.each([
    ['a markdown list', '- item one\n- item two\nReply OK.'],
    ['--version', '--version']
  ])('a prompt that begins with "-" (%s) is a prompt: a real turn happens', async (_, prompt) => {
    const sent = await runsATurn({ prompt }, scenario.world.authority.signIn())
    for (const part of prompt.split('\n')) expect(sent).toContain(part)
  })
})

describe('accepted auth-json variants: each seeds CODEX_HOME, and Codex completes a turn', () => {
  const json = (auth: AuthJson) => JSON.stringify(auth)
  test.each<[string, (auth: AuthJson) => { text: string; seeded?: AuthJson }]>([
    [
      'base64url without padding',
      auth => ({ text: Buffer.from(json(auth)).toString('base64url') })
    ],
    [
      'base64 wrapped at 76 columns with CRLF',
      auth => ({
        text: Buffer.from(json(auth)).toString('base64').replace(/.{76}/g, '$&\r\n')
      })
    ],
    ['a byte order mark before the JSON', auth => ({ text: `\uFEFF${json(auth)}` })],
    [
      'unicode in an id_token claim',
      auth => {
        const seeded = {
          ...auth,
          tokens: {
            ...auth.tokens,
            id_token: makeJwt({ email: 'zoë@exämple.test', name: 'Zoë 🚀' })
          }
        }
        return { text: json(seeded), seeded }
      }
    ],
    [
      'duplicate keys (the last one counts, as in JSON.parse)',
      auth => ({ text: `{"last_refresh":"1999-01-01T00:00:00Z",${json(auth).slice(1)}` })
    ],
    [
      'a 100 KB auth.json (an unknown field Codex ignores)',
      auth => ({ text: json({ ...auth, padding: 'x'.repeat(100_000) } as AuthJson) })
    ]
  ])('%s', async (_, variant) => {
    const { world } = scenario
    const auth = world.authority.signIn()
    const { text, seeded = auth } = variant(auth)
    const job = scenario.freshJob()
    const turns = world.backend.turns.length
    const refreshes = world.tokenEndpoint.requests.length
    const main = await job.runAction({
      'auth-json': text,
      storage: 'directory',
      'storage-path': path.join(scratchDir('store'), 'codex-session'),
      'codex-path': world.codexPath
    })
    expect({ exitCode: main.exitCode, errors: errorsOf(main) }).toEqual({ exitCode: 0, errors: [] })
    expect(main.outputs).toMatchObject({ 'auth-source': 'secret', 'codex-exit-code': '0' })
    expect(world.backend.turns.length).toBe(turns + 1)
    expect(world.tokenEndpoint.requests.length).toBe(refreshes)
    const onDisk = readAuth(path.join(codexHomeOf(job), 'auth.json'))
    expect(onDisk.tokens).toEqual(seeded.tokens)
    expect(onDisk.last_refresh).toBe(seeded.last_refresh)
    const [post] = await job.finish()
    expect(post!.exitCode).toBe(0)
  })
})
