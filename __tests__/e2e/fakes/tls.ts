/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1, made with openssl at
 * test time: Codex insists on HTTPS for the ChatGPT backend and trusts CODEX_CA_CERTIFICATE.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface TestTls {
  /** The CA certificate, for CODEX_CA_CERTIFICATE. */
  readonly caFile: string
  readonly cert: string
  readonly key: string
}

export function makeTestTls(dir = mkdtempSync(path.join(os.tmpdir(), 'codex-auth-tls-'))): TestTls {
  const file = (name: string) => path.join(dir, name)
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' })
  writeFileSync(
    file('server.ext'),
    [
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth',
      'subjectAltName = IP:127.0.0.1, DNS:localhost'
    ].join('\n')
  )
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('ca.key'))
  openssl(
    'req',
    '-x509',
    '-new',
    '-key',
    file('ca.key'),
    '-sha256',
    '-days',
    '2',
    '-subj',
    '/CN=codex-auth-action test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    file('ca.pem')
  )
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('server.key'))
  openssl(
    'req',
    '-new',
    '-key',
    file('server.key'),
    '-subj',
    '/CN=127.0.0.1',
    '-out',
    file('server.csr')
  )
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-sha256',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem')
  )
  return {
    caFile: file('ca.pem'),
    cert: readFileSync(file('server.pem'), 'utf8'),
    key: readFileSync(file('server.key'), 'utf8')
  }
}
