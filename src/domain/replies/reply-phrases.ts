/**
 * The phrase tables reply understanding reads (understand-reply.ts decides between them). Each entry
 * is a regular-expression fragment in lower case; a space stands for any run of whitespace, and a
 * phrase matches whole words only. Read against the cleaned reply (clean-reply.ts), lower-cased,
 * with straight apostrophes.
 */

/** "absolutely not": a positive word negated by what follows. */
const FOLLOWED_BY_NOT = /^\s+not(?![\p{L}])/u;
const NEXT_WORD_IS_US = /^\s+(?:me|us|myself|again|back)(?![\p{L}])/u;

export type PhraseHit = { text: string; index: number };

export type PhraseTable = { readonly pattern: RegExp; readonly negatable: boolean; readonly notAboutUs: boolean };

const compile = (fragments: readonly string[], options: { negatable?: boolean; notAboutUs?: boolean } = {}): PhraseTable => ({
  pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${fragments.map((f) => f.replace(/ /g, '\\s+')).join('|')})(?![\\p{L}\\p{N}])`, 'gu'),
  negatable: options.negatable ?? false,
  notAboutUs: options.notAboutUs ?? false,
});

const NEGATOR = /^(?:not|no|never|don't|dont|doesn't|doesnt|isn't|aren't|wasn't|won't|wouldn't|can't|cannot|hardly|nor|without)$/;

/** A negator among the last three words of the same clause, right before `index`. */
export const isNegated = (text: string, index: number): boolean => {
  const before = text.slice(Math.max(0, index - 60), index);
  const clause = before.slice(before.search(/[^.!?;,:\n—–-]*$/));
  return clause
    .trim()
    .split(/\s+/)
    .slice(-3)
    .some((word) => NEGATOR.test(word));
};

/** Every match of the table in `text`, minus negated ones (when negatable) and "reach out to me" ones (when notAboutUs). */
export const findPhrases = (text: string, table: PhraseTable): PhraseHit[] => {
  const hits: PhraseHit[] = [];
  for (const m of text.matchAll(table.pattern)) {
    if (table.negatable && (isNegated(text, m.index) || FOLLOWED_BY_NOT.test(text.slice(m.index + m[0].length, m.index + m[0].length + 6)))) continue;
    if (table.notAboutUs && NEXT_WORD_IS_US.test(text.slice(m.index + m[0].length, m.index + m[0].length + 12))) continue;
    hits.push({ text: m[0], index: m.index });
  }
  return hits;
};

/** Withdrawn consent, in English and the languages opt-outs most often come in. Never negation-checked: over-reading is the safe mistake. */
export const UNSUBSCRIBE = compile([
  'unsub(?:scribe|scribed)?',
  'remove (?:me|us)',
  'remove my (?:email|e-mail|address|name|details|data|info|information|contact)',
  'take (?:me|us) off',
  'take my (?:name|email|e-mail|address) off',
  'off (?:of )?(?:your|the|this|ur) (?:mailing |email |e-mail |contact |distribution |call )?list',
  'opt(?:-| )?(?:me )?out',
  'stop (?:emailing|e-mailing|mailing|contacting|messaging|sending|spamming|writing|reaching out|bothering|pinging|calling)',
  "(?:don't|dont|do not|never|pls don't|please don't) (?:ever )?(?:contact|email|e-mail|message|write to|reach out to|spam|bother|call) (?:me|us)",
  'leave me alone',
  "(?:don't|dont|do not|never|please don't) (?:ever )?(?:reach out|contact|email|e-mail|message|write|call|ping)(?: to)?(?: me| us)? again",
  '(?:rather|prefer) not (?:to )?(?:get|receive|hear|have)(?: any)?(?: more| further)? (?:emails|e-mails|messages|mail|these|this|from you)',
  '(?:no more|no further|not (?:get|receive) any more) (?:emails|e-mails|messages)(?: please)?',
  'delete (?:my|our) (?:data|details|information|info|email|e-mail|address|contact)',
  'no (?:more|further) (?:emails|e-mails|messages|contact|communication|outreach)',
  'cease (?:all )?(?:contact|communication|emails)',
  'please stop(?! by)',
  'lose my (?:email|number|address)',
  'remove (?:this|that|my|our|the|these) (?:address|email|e-mail|contact|name|person|record|details|number)',
  '(?:remove|delete|erase|drop|purge|take|scrub) (?:[\\p{L}\\p{N}@._-]+ ){0,4}(?:from|off) (?:your|the|all|any|ur) (?:\\p{L}+ )?(?:list|lists|database|databases|system|systems|records|crm|mailing|distribution|sequence|sequences|campaign|campaigns)',
  "(?:this is|this|that is|it's|its|more|stop the|stop this) spam",
  'report(?:ed|ing)? (?:you |this |it )?(?:as spam|for spam)',
  'mark(?:ed|ing)? (?:this |you |it )?as spam',
  'd[ée]sinscri\\p{L}*',
  'd[ée]sabonne\\p{L}*',
  'retirer de (?:votre|vos|la) liste',
  'me retirer',
  'ne (?:me )?(?:plus|contactez plus) (?:recevoir|contacter)?',
  'ne (?:plus|jamais) me (?:contacter|écrire|ecrire|envoyer)',
  'ne me (?:contactez|écrivez|ecrivez|envoyez) plus',
  'abmelden',
  'austragen',
  '(?:aus|von) (?:ihrem|eurem|dem|ihrer|der) (?:verteiler|liste|mailingliste|newsletter)',
  'keine (?:weiteren )?(?:e-?mails|nachrichten|werbung)',
  'nicht mehr (?:kontaktieren|anschreiben|schreiben)',
  'dar(?:me)? de baja',
  'no me (?:contacte|contacten|escriba|escriban|envíe|envíen)',
  'elim[ií]n(?:e|en|ar)(?:me)? de',
  'uitschrijven',
  'afmelden',
  'verwijder (?:mij|me)',
  'descadastr\\p{L}*',
  'cancelar (?:a )?inscri[çc][ãa]o',
  'n[ãa]o (?:me )?(?:contate|contatem|envie|enviem)',
]);

/** Whole messages (letters only) that are an opt-out on their own, though "stop" in a sentence is not. */
export const UNSUBSCRIBE_WHOLE = new Set(['stop', 'remove', 'unsubscribe', 'unsub', 'stop please', 'please stop', 'remove me', 'stop stop', 'stop it']);

/** The person is away: what an out-of-office note says, in English and the usual other languages. */
export const AWAY = compile([
  'out of (?:the )?office',
  'ooo',
  'on (?:annual |parental |maternity |paternity |sick |medical |family |bereavement |study |extended )?leave',
  'on (?:vacation|holiday|holidays|pto|sabbatical|a business trip|business travel)',
  'away from (?:the |my )?(?:office|desk|email|e-mail|keyboard)',
  'currently (?:away|out|travell?ing)',
  'on (?:a |an )?(?:vacation|holiday|pto|sabbatical|break|business trip|trip|leave)',
  'not checking (?:my )?(?:email|e-mail|emails|messages)',
  '(?:out|off|home) sick',
  'on sick leave',
  '(?:limited|no|intermittent|restricted) access to (?:my )?(?:email|e-mail|emails)',
  'limited (?:email|e-mail) access',
  'back in the office',
  'upon my return',
  'on my return',
  'during my absence',
  'in my absence',
  "while (?:i am|i'm) (?:away|out)",
  'i (?:am|will be) (?:out|away|off)(?! of (?!the office))',
  "i'm (?:out|away|off) (?:of the office|until|till|through|from|on)",
  '(?:out|away|off) until',
  '(?:office|offices) (?:is |are |will be )?closed',
  'closed (?:for|from|until|over)',
  'abwesend',
  'nicht im b[üu]ro',
  'au[ßs]er haus',
  'abwesenheit\\p{L}*',
  'im urlaub',
  'absente? du bureau',
  'en cong[ée]s?',
  'absente? jusqu',
  'fuera de la oficina',
  'de vacaciones',
  'ausente',
  'fora do escrit[óo]rio',
  'de f[ée]rias',
  'afwezig',
  'niet op kantoor',
  'met vakantie',
  'op vakantie',
  'en vacances',
  'in vacanza',
  'fuori (?:sede|ufficio)',
  'em f[ée]rias',
  'nicht erreichbar',
]);

/** Written by a machine: auto-replies, ticket systems, bounces. */
export const AUTOMATED = compile([
  'automatic reply',
  'auto(?:-| )?reply',
  'autoreply',
  'auto(?:-| )?response',
  'automated (?:response|reply|message|email|e-mail|notification|mail)',
  'this is an automated',
  'do not reply to this (?:email|e-mail|message)',
  'please do not reply',
  '(?:this|the|my) (?:mailbox|inbox|email address|e-mail address|address|account) is (?:not |no longer )?(?:monitored|in use|active|being monitored|checked|unattended|unmonitored|not attended|not staffed)',
  'no longer (?:monitored|in use|active)',
  '(?:your|the) (?:request|ticket|case|enquiry|inquiry|message|email|e-mail) (?:\\(?#?\\d+\\)? )?(?:has been|was) (?:received|created|logged|submitted)',
  "we(?:'ve| have) received your (?:email|e-mail|message|request|enquiry|inquiry)",
  'ticket (?:#|number|no\\.?|id)',
  'please type your reply above this line',
  'delivery (?:has )?failed',
  'delivery status notification',
  'undeliverable',
  'mail delivery (?:failed|subsystem|system)',
  "address (?:you entered )?(?:couldn't|could not|can't|cannot) be found",
  '(?:recipient|address|user) (?:not found|rejected|unknown)',
  'message (?:not delivered|blocked|rejected|could not be delivered)',
  "(?:message|email|e-mail|mail) (?:to \\S+ )?(?:couldn't|could not|wasn't|was not|cannot|can't) be delivered",
  "(?:wasn't|was not|couldn't be|could not be) found at",
  'i (?:only )?check (?:my )?(?:email|e-mail|emails|inbox)',
  'r[ée]ponse automatique',
  'respuesta autom[áa]tica',
  'automatische antwort',
  'resposta autom[áa]tica',
]);

/** The person is gone from the company. */
export const LEFT_COMPANY = compile([
  'no longer (?:with|at|employed|part of|working (?:at|for|with)|works? (?:at|for|with))',
  '(?:has|have|had) left (?:the company|the organi[sz]ation|the business|\\p{L}+)',
  'i (?:have )?left(?! (?:a|you|it|my|the message|a message|early)(?![\\p{L}]))',
  'left the company',
]);

/** The reply sends us to someone else: beats even a meeting ask (the meeting would be with them). */
export const REFERRAL_STRONG = compile(
  [
    "(?:i'm|i am|im) not (?:the|a) (?:right|best|correct|appropriate|relevant|ideal) (?:person|contact|one|guy)",
    '(?:wrong|not the right|not the correct) (?:person|contact|guy|department|team|email|address)',
    'not my (?:area|department|dept|team|remit|responsibility|wheelhouse|job|role|field|domain|function)',
    "(?:is|'s|would be|are) the (?:right|best|better|correct) (?:person|contact|people|one|team)",
    'the (?:right|best|better|correct) (?:person|contact|people|team) (?:is|would be|to (?:talk|speak|contact|reach|ask))',
    'better (?:person|contact) (?:to|would be|is)',
    "(?:you'll|you will|you'd|you would|you may|you might|you should|you want to|best to|better to|suggest you|recommend you) (?:want to |need to )?(?:talk|speak|reach out|contact|connect|email|e-mail|ping|get in touch|write|direct|try)",
    '(?:please )?reach out to',
    "(?:i'm|i am|im) not (?:involved|responsible|in charge)",
    "(?:is|are|'s|would be) (?:a )?better (?:fit|person|placed|suited|contact) (?:for|to)",
    "(?:i'll|i will|let me|happy to|i can) pass (?:this|it|that|your (?:note|email|message|info)) (?:along|on)",
    'pass (?:this|it|that|your (?:note|email|message|info)) (?:along |on )?to',
    "(?:i |i'm |i am )?(?:don't|do not|no longer|not) (?:handle|manage|own|run|look after|oversee|deal with|cover|work on) (?:this|that|these|those|it|marketing|sales|vendors?|purchasing|procurement|tools?|\\p{L}+ tools)",
    "(?:isn't|is not|not) (?:relevant|related) to my (?:role|job|position|area|department|team|work)",
    'outside (?:of )?my (?:role|remit|area|scope|responsibilit\\p{L}+)',
    '(?:meant|mean|looking for|want|wanted|have the wrong) (?:someone|somebody|a different) (?:else|person)?',
    "(?:i can|i could|happy to|glad to|let me|i'll|i will) (?:intro|introduce|connect) you",
    '(?:direct|send|forward|address|route) (?:your |all )?(?:inquiries|enquiries|questions|emails|e-mails|requests|correspondence|messages) to',
    'not in (?:a |the )?(?:buying|decision|purchasing|decision-making) (?:role|position|seat)',
    '(?:he|she|they|who) (?:handles|handle|owns|own|runs|run|manages|manage|looks after|is responsible for|are responsible for|is in charge of|takes care of|oversees|leads)',
    "(?:i've |i have |i )?(?:forwarded|passed|passing|forwarding) (?:this|your (?:note|email|e-mail|message|info)|it)(?: on| along)? to",
  ],
  { notAboutUs: true },
);

/** Someone else is added to the thread: a referral unless the reply also asks to meet. */
export const REFERRAL_WEAK = compile(['(?:looping|loop|looped|copying|copied|adding|added|including|introducing) (?:in )?(?:my|our|her|him|them|\\p{L}+ (?:from|in|who))', "cc(?:'?d|'?ed|'?ing)", 'cc:']);

/** Objection kinds, in the order a reply naming several is given one (the most specific reason first). */
export const OBJECTION_KINDS = ['incumbent', 'budget', 'authority', 'need', 'timing'] as const;
export type ObjectionKind = (typeof OBJECTION_KINDS)[number];

export const OBJECTIONS: Readonly<Record<ObjectionKind, PhraseTable>> = {
  incumbent: compile([
    'already (?:use|using|have|has|work with|working with|partner with|partnered with|signed (?:with|up)|bought|pay for|paying for|invested in|got|run|running|on|with|in place)',
    "(?:we're|we are|i'm|i am|we've been|pretty|very|quite|really) (?:happy|satisfied|pleased|content) with",
    '(?:happy|satisfied) with (?:our|the) (?:current|existing)',
    '(?:current|existing|present) (?:vendor|provider|solution|tool|partner|contract|platform|system|setup|stack|agency)',
    '(?:just|recently) (?:signed|renewed|bought|purchased|switched|chose|went with|selected|implemented|rolled out|onboarded)',
    '(?:locked|tied|committed) (?:in|into|to) (?:a|an|our|the)',
    '(?:under|in) (?:a |an )?(?:\\d+[- ]year |multi[- ]year |annual |long[- ]term )?contract',
    'contract (?:with \\S+ )?(?:is up|runs|renews|ends|expires|until|through)',
    'in[- ]house',
    'built (?:our own|it ourselves|this ourselves|something|our own tool)',
    'home[- ]?grown',
    "we(?:'ve| have) got (?:a|our own) (?:tool|solution|vendor|system|process)",
    'we have our own',
    '(?:use|using) \\S+ already',
    '(?:just |recently |already )?(?:hired|engaged|brought on|contracted|signed|retained) (?:an?|another|our own) (?:agency|firm|vendor|consultant|partner|provider|team|company|contractor|sdr)',
    '(?:build|built|building|develop|developed|developing) (?:\\p{L}+ ){0,2}(?:ourselves|in-house|internally)',
    '(?:went|gone|going|go) (?:in )?(?:another|a different) direction',
    '(?:went|gone|going) with (?:someone|something) else',
    "(?:we're|we are) (?:locked|tied|committed) (?:in|into|to|with)",
    '(?:use|using|have|work with|working with) an? (?:agency|vendor|partner|provider|firm|consultancy|contractor)',
    '(?:went|gone|going) with (?:a |an |another )?(?:competitor|different (?:vendor|provider|tool|solution)|someone else|another (?:vendor|provider|tool|solution))',
    '(?:chose|picked|selected|signed with) (?:a |another )?(?:competitor|different vendor|someone else)',
    "(?:we|we're|we are|we've been) (?:use|using|run|running|rely on|relying on) \\S+(?: \\S+){0,3} (?:for|to) (?:this|that|sequencing|outreach|prospecting|outbound|our|all|email|emails|lead)",
    '(?:does|do) the job',
    'works (?:well|fine|great) for us',
  ]),
  budget: compile([
    '(?:no|zero|limited|tight|frozen|small|little|not enough|insufficient|no allocated|no approved|lack of|without) budget',
    "(?:don't|do not|doesn't|does not) have (?:the |a |any |enough )?budget",
    'budget (?:is |was |has been )?(?:frozen|tight|cut|spent|gone|allocated|exhausted|locked|used up|constrained|limited)',
    "budget (?:isn't|is not|wasn't|was not) (?:there|available|approved)",
    'budgets? (?:are|were|have been) (?:cut|frozen|tight|slashed)',
    'budget (?:constraints?|cuts?|freeze|restrictions?)',
    '(?:too|very|way too|really|quite|super|pretty) (?:expensive|pricey|costly|steep)',
    'out of (?:our|my) (?:budget|price range|league)',
    "(?:can't|cannot|can not|couldn't|could not) (?:afford|justify the (?:cost|spend|price))",
    '(?:spending|hiring|budget|procurement) freeze',
    'cost[- ]cutting',
    'costs? (?:are|is) being cut',
    'cutting (?:costs|back|spend)',
    '(?:price|cost|pricing) (?:is|was|seems) (?:too )?(?:high|steep)',
    '(?:price|pricing|cost|costs|price point|fees?|the money) (?:is|are|was|were) (?:the |an |a |our )?(?:main |big |real )?(?:issue|problem|concern|blocker|dealbreaker|sticking point|hurdle)',
    "unless (?:it's|it is) (?:free|cheap)",
    'non-?profit',
    '(?:no|not enough) (?:money|funds|funding|cash)',
    'tight on (?:cash|money|budget)',
  ]),
  authority: compile([
    'not (?:my|the|our) (?:decision|call)',
    'not the decision[- ]?maker',
    "(?:i'm|i am|im) not (?:a |the )?decision[- ]?maker",
    "(?:don't|do not|doesn't) (?:make|own|get to make) (?:the|these|that|this|those) (?:decisions?|calls?)",
    "(?:need|needs|would need|will need|i'd need|we'd need|have to get|has to get|requires?|would require) (?:to get )?(?:sign[- ]?off|approval|buy[- ]?in|a green light|the green light)",
    '(?:run|check|bring|raise|take|float|discuss|share|clear) (?:this|it|that) (?:by|with|up with|past) (?:my|our|the)',
    '(?:check|talk|speak|discuss|confirm|consult|sync|align) (?:with|to) (?:my|our|the) (?:boss|manager|team|cto|ceo|cfo|coo|cmo|cro|vp|head|director|founder|co-?founder|partners?|legal|procurement|leadership|board|management|owner|superior|supervisor|it)',
    'above my pay ?grade',
    '(?:my|our) (?:boss|manager|cfo|ceo|cto|board|leadership|procurement|legal|management) (?:decides|makes|would have to|needs to|has to|signs off|owns|would need)',
    '(?:decision|purchase|purchasing|buying) (?:is|are|goes|would go|sits) (?:made )?(?:by|through|with|above)',
    "(?:i'll|i will|i'd|i would) (?:have|need) to (?:ask|check with|get approval|run it by|talk to)",
    "(?:i'd|i would|i'll|i will|i|we'd|we) (?:need|have) to (?:loop in|involve|bring in|consult|get (?:sign[- ]?off|approval) from)",
    '(?:has|have|needs?) to be (?:approved|signed off|vetted|cleared) by',
    "(?:need|needs|have|has|would need|will need|i'd need|i'll need|we'd need|we'll need) to get (?:my |our |the )?(?:\\S+ ){0,2}(?:blessing|sign[- ]?off|approval|okay|buy[- ]?in|go[- ]ahead|green light)",
    '(?:goes|go|has to go) through (?:procurement|legal|security|it|our)',
    '(?:have|need|has|needs) to get (?:\\p{L}+ ){1,3}involved',
    '(?:legal|security|procurement|compliance|infosec) (?:review|approval|sign-?off|involved)',
  ]),
  need: compile([
    "(?:don't|do not|doesn't|does not|wouldn't|would not|won't|will not) (?:really )?(?:need|require)",
    "(?:don't|do not) (?:really )?(?:have|see) (?:that|this|the|a|any|such a|this kind of|that kind of) (?:problem|issue|need|challenge|pain|use case|requirement)",
    'no (?:need|use|requirement) for',
    "(?:not|isn't|is not) (?:a |really a |an )?(?:need|problem|pain(?: point)?|use case|requirement|issue) (?:for|we have)",
    'not (?:really )?(?:relevant|applicable|useful) (?:for|to) (?:us|our)',
    "(?:doesn't|does not) (?:apply|make sense|fit) (?:to|for) us",
    'not (?:a |really a )?(?:good |great |right )?fit',
    "not sure (?:this|it|we)(?:'s| is| are|'re| would be)? (?:a )?(?:good |great |right )?fit",
    "(?:we're|we are|were) (?:just )?(?:too small|a small (?:team|shop|company|business)|a (?:\\p{L}+-person|one-person|tiny|small) (?:shop|team|company|business))",
    '(?:\\d+|one|two|three|four|five)-person (?:shop|team|company|business)',
    "(?:don't|do not) (?:really |actually )?(?:do|use|run|send) (?:much |any |a lot of |volume |high-volume |cold )?(?:outbound|outreach|cold|sales|prospecting|email outreach|cold email|cold emails)",
    "(?:wouldn't|would not|won't) (?:use|need|benefit)",
    "(?:doesn't|does not|didn't|did not|won't|wouldn't|would not) (?:really )?work (?:out )?for us",
    "(?:not|isn't|is not) (?:a |really a |an )?(?:need|problem|pain(?: point)?|use case|requirement|issue|challenge) (?:we're|we are|we have|we face|we need)",
    "(?:don't|do not|can't|cannot) (?:really )?see (?:us|we|the team|a need|the need|it|this) (?:needing|using|benefiting|buying|adopting|being useful|helping)",
    "(?:isn't|is not|not) something (?:we|we'd|we would|we'll) (?:need|use|want)",
  ]),
  timing: compile([
    'not (?:right )?now',
    'not (?:at )?(?:the )?right (?:time|moment)',
    'not a good time',
    'bad timing',
    "(?:the )?timing (?:is|isn't|is not|'s) (?:not )?(?:right|great|ideal|good|off|bad)",
    'next (?:quarter|year|fy|fiscal(?: year)?|budget cycle|budget year)',
    '(?:in|until|till|til|after|before|by|end of|early|late|mid|come) q[1-4]',
    '(?:later|early|end of|towards the end of) (?:this|next) (?:year|quarter|month)',
    'later (?:this|in the) (?:year|quarter)',
    'circle back',
    'check back',
    '(?:reach|get|touch|ping|follow) (?:back |up )?(?:out )?(?:again |with me )?(?:in|after) (?:a few|a couple|a couple of|\\d+|two|three|four|six|several|some) (?:weeks|months|quarters)',
    '(?:reach|ping|email|contact|try|check in with|follow up with|get back to|circle back with) (?:me|us) (?:again )?(?:in|after|next|later|around|towards)',
    '(?:reach out|get in touch|follow up|check in|circle back|touch base|ping|email|contact|try|write)(?: to| with)?(?: me| us)? (?:again )?(?:in|after|around|next|later in|towards|come) (?:january|february|march|april|may|june|july|august|september|october|november|december|q[1-4]|a few|a couple|\\d+|two|three|six|several|(?:the )?(?:new year|spring|summer|fall|autumn|winter))',
    'try (?:me|us) again',
    'revisit (?:this |it )?(?:in|later|next|after|down the)',
    'reconnect (?:in|later|next|after)',
    '(?:in|after|for) (?:a few|a couple of|a couple|\\d+|two|three|four|six|several) months',
    '(?:after|until|till) (?:the )?(?:summer|holidays|holiday season|new year|launch|migration|re-?org|reorganization|quarter|board meeting|fundraise|raise|merger|acquisition)',
    '(?:too |very |super |really )?busy (?:right now|at the moment|this (?:quarter|month))',
    "(?:we're|we are|i'm|i am) (?:too |very |super |really )?busy",
    'swamped',
    'heads?(?:-| )down',
    "(?:not|isn't|is not) (?:a |really a )?(?:top )?priority",
    '(?:other|different|competing) priorities',
    'maybe later',
    'down the (?:road|line)',
    'pass for now',
    '(?:until|till|til) (?:january|february|march|april|may|june|july|august|september|october|november|december|next|the end|after|spring|summer|fall|autumn|winter|the new)',
    'end of (?:q[1-4]|the (?:quarter|year|month))',
    'in the middle of',
    'not until',
    'ask me again',
    'another time',
    'too (?:early|soon)',
    '(?:talk|chat|connect|meet|speak|reconnect|catch up|revisit) (?:again )?(?:after|following) (?:the )?(?:4th of july|july 4th|fourth of july|holidays?|summer|new year|\\p{L}+ day|\\p{L}+ break|launch|quarter|\\d{1,2}(?:st|nd|rd|th)(?: of \\p{L}+)?)',
    '(?:push|move|postpone|defer|delay|punt|kick|bump) (?:this|it|that|things|the conversation)(?: back| out)? (?:to|until|till|after|into|a few|a couple|by|past)',
    "(?:let's|lets|we can|we could|happy to) (?:talk|chat|connect|reconnect|speak|revisit|catch up) (?:again )?(?:in|after|around|next|closer to|towards) (?:january|february|march|april|may|june|july|august|september|october|november|december|q[1-4]|a few|a couple|\\d+|two|three|six|(?:the )?(?:new year|spring|summer|fall|autumn|winter)|(?:next )?(?:quarter|year))",
    'not (?:buying|purchasing|spending|investing|adding|taking on|looking at) (?:anything |any (?:new )?\\p{L}+ )?(?:new )?(?:this|until|before|till) (?:year|quarter|month|next)',
  ]),
};

/** A plain no, without a reason. */
export const NOT_INTERESTED = compile([
  'not (?:really |currently |at all |that |even )?interested',
  'no longer interested',
  'no,? (?:thanks|thank you|thx|ty)',
  "(?:i'll|i will|we'll|we will|gonna|going to|have to|i'd|we'd|must|i think i'll|i'll have to|we'll have to|will have to) pass(?! (?:this|it|that|your|them|along|on)(?![\\p{L}]))",
  'hard pass',
  'pass on (?:this|that|it)',
  'not for (?:us|me)',
  'not looking (?:for|to|at|into)',
  "(?:not|isn't|is not) (?:of )?interest",
  'thanks,? but no',
  "not something (?:we|i)(?:'re| are| am|'m) interested",
  "please (?:don't|do not) bother",
  'not (?:at this time|at the moment|today)',
  'no interest',
  "(?:we're|we are|i'm|i am) (?:all |good and )?(?:set|good|covered|fine)(?: for now| here| thanks| thank you)?(?=\\s*(?:[,.!]|thanks|thank|$))",
  'decided (?:against|not to)',
  'chose not to',
  "(?:we'll|we will|i'll|i will|have to|must|going to) (?:have to )?(?:respectfully )?decline",
  "(?:not|won't be|will not be) moving forward",
  'take a hike',
  'get lost',
  'go away',
  'no chance',
  'not a chance',
  'hell no',
  '(?:absolutely|definitely|certainly|of course) not',
  '^(?:nope|nah)',
  '^no(?=[,.!]| thanks| thank)',
  "(?:we're|we are|i'm|i am) (?:all )?(?:set|good|covered|fine) (?:on|with|for) (?:that|this|now|the moment|that front|this front)",
  'not in the market',
  "(?:it's|its|that's|thats) a (?:no|pass|hard no)",
  'count (?:us|me) out',
  "(?:we|i) (?:will|would|'ll|'d) (?:not|never) (?:be )?(?:interested|need|use)",
]);

export const NOT_INTERESTED_WHOLE = new Set(['no', 'nope', 'nah', 'no no', 'lol no', 'no lol', 'nope thanks', 'no thanks', 'no thank you', 'not interested', 'pass', 'no way']);

/** An explicit ask to meet. Negation-checked ("no need to schedule a call"). */
export const MEETING_ASK = compile(
  [
    "let's (?:set up|setup|schedule|book|find|get|grab|hop on|jump on|arrange|plan|organi[sz]e) (?:a |some |the |an )?(?:quick |short |brief |\\d+[- ]?min(?:ute)? )?(?:time|call|meeting|chat|demo|zoom|intro|slot)",
    "(?:let's|lets) (?:talk|chat|meet|connect|speak|sync|discuss|catch up|hop on|jump on|set something up|find a time)",
    '(?:set up|setup|schedule|book|arrange|organi[sz]e|grab|pencil in|lock in) (?:a |some |the |an )?(?:quick |short |brief |(?:\\d+|fifteen|twenty|thirty)[- ]?min(?:ute)?s? )?(?:time|call|meeting|chat|demo|intro|slot|zoom|teams|session|conversation)',
    '(?:book|put|pencil|throw) (?:something|some time|a time|time) (?:in|on)',
    'book something',
    '(?:send|shoot|forward) (?:me |us |over |across )?(?:an? |the |your |a few |some |a couple of |a couple |two |three )?(?:calendar )?(?:invite|invitation|calendar link|booking link|calendly|link to book|meeting link|few times|times|availability|slots|meeting request)',
    'calendly\\.com',
    'cal\\.com',
    'hubspot\\.com/meetings',
    'savvycal',
    'chilipiper',
    '(?:grab|book|pick|find|choose) (?:a |some )?(?:time|slot) (?:here|on my calendar|below|that works|via)',
    '(?:happy|glad|keen|available|free|open) (?:to|for) (?:a )?(?:quick |short |brief )?(?:chat|talk|meet|connect|hop on|jump on|take a call|call|discuss|demo|meeting|conversation|catch up|speak|zoom)',
    "(?:i'd|i would|would|we'd|we would) (?:love|like|be happy|be glad|be open|want) (?:to )?(?:a |to (?:a |see a )?)?(?:quick |short )?(?:chat|call|talk|meet|demo|connect|see a demo|meeting|conversation|catch up|speak)",
    'love a demo',
    'open to (?:a |an )?(?:quick |short |brief )?(?:call|chat|conversation|meeting|demo|intro|zoom)',
    '(?:are|r) (?:you|u) (?:free|available|around)',
    '(?:when|what time|what day|which day)s? (?:are|r|would|works?|is) (?:you|u|good|best|suits|convenient)',
    'what (?:does|do|is) your (?:calendar|availability|schedule|week)',
    'what times? (?:work|works|suit|suits|is good|are good)',
    '(?:would|could|can) (?:you|we|u) (?:do|meet|talk|chat|speak|hop on|jump on|connect|have time|have \\d+|have a few)',
    '(?:can|could|shall|should|might) we (?:talk|chat|meet|speak|set up|schedule|connect|hop|jump|do|find|book|arrange|get|catch up)',
    'how about (?:a )?(?:call|chat|meeting|demo)',
    '(?:free|available) (?:for|on) (?:a )?(?:call|chat)',
    'find (?:a )?time',
    '(?:\\d+|fifteen|twenty|thirty) ?(?:min|mins|minutes) (?:with|call|chat|on)',
    'a demo',
    'times that work',
    '(?:set|setting) (?:something|some time|a time|it) up',
    '(?:set up|schedule|book|arrange) something',
    "(?:i'm|i am|we're|we are) (?:free|available|around|flexible) (?:most of |all |any ?time |anytime |on |in |the )?(?:next|this|tomorrow|monday|tuesday|wednesday|thursday|friday|week|after|before|morning|afternoon|any ?day)",
    '(?:find|grab|book|set up|schedule|get) (?:\\d+|fifteen|twenty|thirty|a few) ?(?:mins?|minutes)',
    '(?:good|best) (?:number|phone|cell) (?:to|i can|where i can) (?:reach|call|ring)',
    "what(?:'s| is) your (?:number|phone|cell|mobile)",
  ],
  { negatable: true },
);

/** Positive words that do not ask for anything specific. Negation-checked ("not sure", "not interested"). */
export const INTERESTED = compile(
  [
    'interested',
    'intrigued',
    'curious',
    'tell me more',
    'more (?:info|information|details|detail)',
    '(?:send|share|forward|shoot) (?:me |us |over )?(?:some |more |the |a |an |your |any |a couple of |a few )?(?:\\p{L}+ ){0,2}(?:info|information|details|deck|one[- ]?pager|case stud(?:y|ies)|materials?|brochure|overview|examples?|video|documentation|docs|whitepaper|slides|presentation|references|testimonials|customer stories|summary|write-?up|recap)',
    'sounds (?:good|great|interesting|promising|intriguing|cool|relevant|like a plan|fine|perfect)',
    'looks (?:interesting|good|great|promising|cool|relevant|useful)',
    "(?:i'd|i would|would|we'd|we would) (?:love|like|be keen|be interested) to (?:learn|hear|see|know|understand|find out)",
    'learn more',
    'keen',
    "(?:this is|that's|that is|seems|it's|its) (?:actually )?(?:timely|relevant|interesting|great|useful|exactly what)",
    'count me in',
    "i'?m in",
    '(?:happy|glad) to (?:take a look|learn|hear|review|look)',
    'worth (?:a look|exploring|a chat|discussing)',
    'open to (?:it|learning|hearing|exploring|this|that|the idea)',
    'send (?:it|them) (?:over|through|along)',
    'send (?:over |me |it )?(?:whatever|what) you (?:have|got)',
    'interesting',
    'keep me posted',
    'please do',
    'go ahead',
    'love to',
    'would love',
    'absolutely',
    'definitely',
    'yes',
    'yeah',
    'yep',
    'yea',
    'sure',
  ],
  { negatable: true },
);

export const INTERESTED_WHOLE = new Set(['yes', 'yep', 'yeah', 'yea', 'sure', 'ok', 'okay', 'k', 'sure thing', 'sounds good', 'ok sounds good', 'great', 'perfect', 'yes please', 'absolutely', 'cool', 'nice']);
export const POSITIVE_EMOJI = /^[\s👍🙌👌✅💯🔥😀🙂😊]+$/u;

/** A question that asks for material is interest, not a question to answer (unless it is about price). */
export const REQUEST_FOR_MATERIAL =
  /(?:can|could|would|will) (?:you|u) (?:please )?(?:send|share|forward|email|shoot)|(?:do|does) (?:you|u) (?:have|got) (?:a |an |any |some )?(?:\p{L}+ ){0,2}(?:deck|video|case stud|one[- ]?pager|brochure|info|materials?|examples?|overview|docs|documentation|whitepaper|slides|presentation|references|testimonials)|is there (?:a |an |any )(?:\p{L}+ ){0,2}(?:demo|video|deck|case study|recording|one-pager|trial|sandbox)/u;
/** A question about how to reach or learn more is a next step, not a question about the product. */
export const LOGISTICS_QUESTION =
  /(?:best|right|good) (?:email|e-mail|way|address|place|number|person) to (?:reach|contact|send|get|learn|find|write)|how (?:do|can|should) i (?:reach|contact|get in touch|learn more|sign up)|what(?:'s| is| are) (?:the )?next steps?|what(?:'s| is) next|who (?:would|will) (?:i|we) (?:be )?(?:working|work|speaking|talking|meeting) with/u;
export const ABOUT_PRICE = /(?<![\p{L}])(?:price|prices|pricing|cost|costs|quote|how much)(?![\p{L}])/u;
export const QUESTION_START =
  /^(?:what|what's|whats|how|how's|why|who|who's|whos|where|which|when|is it|is this|is there|are there|are you|are u|does it|does this|does your|do you|do u|can it|can you|can u|could you|would it|will it|have you|has it)(?![\p{L}])/u;

/** Words that show a text is English, and words that show it is not (German, French, Spanish, Portuguese, Dutch, Italian). */
export const ENGLISH_WORDS = new Set(
  'the a an and or to of in on for is are be we i you it this that with at not no yes can will would me my our us your thanks thank please have has do does but so if just let lets what how when who sure ok okay hi hello hey time call works work meeting interested from as by up out about more info send was were am its im dont cant wont get got did been there here they them he she his her all any some also now too very really much'.split(
    ' ',
  ),
);
export const FOREIGN_WORDS = new Set(
  'der die das und ist nicht ich sie wir mit für ein eine bitte danke vielen grüße gruß kein keine interesse ihre ihnen le la les et est je vous nous pas une des du pour avec merci bonjour cordialement el los las y es que por para con una gracias hola usted saludos interés não obrigado obrigada uma pelo mas temos momento olá het een niet ik wij bedankt dank groet geen il di che non grazie sono buongiorno'.split(
    ' ',
  ),
);
