// Preloaded into a measured Node process (NODE_OPTIONS=--require): at exit, appends the process's
// own CPU time and peak RSS, and the CPU time of the children it waited for (tar, codex), to
// BENCH_RUSAGE_FILE as one JSON line. CommonJS, so that it costs the measured process next to nothing.
'use strict'
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS on purpose (see above)
const fs = require('node:fs')

const file = process.env.BENCH_RUSAGE_FILE
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage()
    // /proc/self/stat fields 16 and 17 (cutime, cstime): waited-for children, in clock ticks.
    let childTicks = 0
    try {
      const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
      childTicks = Number(fields[13]) + Number(fields[14])
    } catch {
      // not Linux: children are not counted
    }
    const line = {
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      childTicks,
      maxRssKb: usage.maxRSS
    }
    fs.appendFileSync(file, JSON.stringify(line) + '\n')
  })
}
