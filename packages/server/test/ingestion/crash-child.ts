/**
 * Child process of crash.test.ts: ingests lessons frame by frame into the PostgreSQL database given
 * as argv[2] and prints `acked <phone> <received-at ms> <serial>` for every frame once its
 * `accept()` resolved — the moment the gateway would acknowledge it to the terminal.
 */
import os from 'node:os'
import path from 'node:path'
import { openPostgres } from '../../src/db/client.ts'
import { createPhotoStore } from '../../src/ingestion/photo-store.ts'
import { createIngestWriter } from '../../src/ingestion/writer.ts'
import { type LessonPeople, lessonEnvelopes } from './lesson.ts'

const [url, peopleJson] = process.argv.slice(2)
if (!url || !peopleJson) throw new Error('usage: crash-child <database url> <people json>')
const people = JSON.parse(peopleJson) as LessonPeople
const database = await openPostgres(url)
const writer = createIngestWriter({
  database,
  photoStore: createPhotoStore(path.join(os.tmpdir(), 'jiapei-crash-photos')),
  windowMs: 2,
})
const start = Date.UTC(2026, 6, 1, 0, 0)
for (let lesson = 0; ; lesson++) {
  const envelopes = lessonEnvelopes(people, {
    start: new Date(start + lesson * 3600_000),
    minutes: 5,
    classId: 100_000 + lesson,
  })
  // Many frames in flight at once, as from many connections.
  await Promise.all(
    envelopes.map(async (e) => {
      await writer.accept([e])
      process.stdout.write(`acked ${e.terminalPhone} ${e.receivedAt.getTime()} ${e.serialNo}\n`)
    }),
  )
}
