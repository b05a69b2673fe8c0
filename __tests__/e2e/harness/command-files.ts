/** Reading the GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV file format: NAME=VALUE or NAME<<DELIM blocks. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line === '') continue
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const body: string[] = []
      while (++i < lines.length && lines[i] !== delimiter) body.push(lines[i]!)
      if (i >= lines.length) throw new Error(`Unterminated ${name}<<${delimiter} block`)
      values[name!] = body.join('\n')
      continue
    }
    const eq = line.indexOf('=')
    if (eq <= 0) throw new Error(`Malformed command file line: ${line}`)
    values[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return values
}

export interface Annotation {
  readonly level: 'error' | 'warning' | 'notice'
  readonly message: string
}

/** Workflow commands on stdout (`::error::...`), unescaped as the runner does. */
export function parseWorkflowCommands(stdout: string): {
  annotations: Annotation[]
  masks: string[]
} {
  const annotations: Annotation[] = []
  const masks: string[] = []
  for (const line of stdout.split('\n')) {
    const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line)
    if (!command) continue
    const [, name, data] = command
    const value = unescapeData(data!)
    if (name === 'add-mask') masks.push(value)
    else if (name === 'error' || name === 'warning' || name === 'notice') {
      annotations.push({ level: name, message: value })
    }
  }
  return { annotations, masks }
}

function unescapeData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}
