// AI layer — agent memory: recall a thread and its current facts into an LLM context within a token budget
import { Database, type EmbeddingFunction } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('assistant_db'));
await db.createNamespace('assistant');

// A toy embedding (letter counts) so the example runs offline; use your model's in practice.
const embed: EmbeddingFunction = (texts) => texts.map((text) => [...'aeioulnrst'].map((ch) => text.toLowerCase().split(ch).length - 1 + 0.01));
const memory = await db.agentMemory({ namespace: 'assistant', dimension: 10, embed });

const ada = (predicate: string, object: string) => ({ subject: 'ada', predicate, object });
await memory.addEpisode({
  thread: 'chat-1',
  role: 'user',
  content: 'Hi, I am Ada and I live in Paris.',
  at: Date.parse('2026-01-05'),
  facts: [ada('lives_in', 'paris')],
});
await memory.addEpisode({ thread: 'chat-1', role: 'assistant', content: 'Nice to meet you, Ada!', at: Date.parse('2026-01-06') });
await memory.addEpisode({
  thread: 'chat-1',
  role: 'user',
  content: 'Update: I moved to Berlin for a job at Acme.',
  at: Date.parse('2026-03-01'),
  facts: [ada('lives_in', 'berlin'), ada('works_at', 'acme')],
});
await memory.addEpisode({ thread: 'chat-2', role: 'user', content: 'Another chat: where do I live?', at: Date.parse('2026-03-02') });

// Recall the thread: its matching episodes, and the facts that hold now (Paris is superseded).
const question = 'Where does Ada live now?';
const { episodes, facts } = await memory.recall({ thread: 'chat-1', query: question, k: 3 });
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const context = await db
  .context({ budget: 200 })
  .section('instructions', { text: 'Answer from memory. Current facts win over old messages.' })
  .section('facts', { priority: 1, rows: facts.map((f) => ({ subject: f.subject, predicate: f.predicate, object: f.object, since: day(f.validFrom) })) })
  .section('episodes', { priority: 2, rows: [...episodes].sort((a, b) => a.at - b.at).map((e) => ({ at: day(e.at), role: e.role, content: e.content })) })
  .section('question', { priority: 3, text: question })
  .build();
console.log(context.text);
console.log(
  `${context.tokens} tokens (budget 200); as of February Ada lived in ${(await memory.facts('ada', { asOf: Date.parse('2026-02-01'), predicate: 'lives_in' }))[0]!.object}`,
);
