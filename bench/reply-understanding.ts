import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { understandReply, type UnderstandOptions } from '../src/domain/replies/index.js';
import { classifyReply } from '../src/domain/signals/reply-classifier.js';
import { opsPerSecond, ratio } from './measure.js';

type HeldOut = { sentAt: string; timeZone: string; offeredSlots?: string[]; text: string };

/** The held-out replies, from bench/ (tsx) or dist/bench/ (npm run bench). */
const loadReplies = (): HeldOut[] => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const file = [path.resolve(here, '..', 'test/fixtures/replies/held-out.json'), path.resolve(here, '..', '..', 'test/fixtures/replies/held-out.json')].find((candidate) => existsSync(candidate));
  if (file === undefined) throw new Error('test/fixtures/replies/held-out.json not found');
  return (JSON.parse(readFileSync(file, 'utf8')) as { replies: HeldOut[] }).replies;
};

/**
 * Reply understanding (rules only, one core) on the held-out replies repeated to about `count`
 * texts, against the current classifier (src/domain/signals/reply-classifier.ts) on the same texts
 * in the same run. Issue 17 asks for at least 5,000 replies/s.
 */
export const benchReplyUnderstanding = (count = 20_000) => {
  const replies = loadReplies();
  const inputs: { text: string; options: UnderstandOptions }[] = [];
  for (let i = 0; inputs.length < count; i++) {
    const reply = replies[i % replies.length]!;
    inputs.push({ text: reply.text, options: { sentAt: new Date(reply.sentAt), timeZone: reply.timeZone, offeredSlots: reply.offeredSlots?.map((slot) => new Date(slot)) } });
  }
  let meetings = 0;
  const understanding = opsPerSecond(() => {
    meetings = 0;
    for (const { text, options } of inputs) if (understandReply(text, options).class === 'meeting_request') meetings++;
    return inputs.length;
  });
  let positives = 0;
  const classifier = opsPerSecond(() => {
    positives = 0;
    for (const { text } of inputs) if (classifyReply(text).category === 'positive') positives++;
    return inputs.length;
  });
  return {
    name: 'reply understanding',
    replies: inputs.length,
    distinctTexts: replies.length,
    meetingRequests: meetings,
    understandRepliesPerSecond: Math.round(understanding.opsPerSecond),
    classifierRepliesPerSecond: Math.round(classifier.opsPerSecond),
    classifierPositives: positives,
    costVsClassifier: ratio(classifier.opsPerSecond, understanding.opsPerSecond),
    target: '>= 5,000 replies/s',
  };
};
