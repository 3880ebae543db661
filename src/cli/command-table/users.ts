import { InvalidArgumentError, type Command } from 'commander';
import { withCommonOptions } from '../options.js';

const userCommands = () => import('../commands/users.js');
type UserCommands = Awaited<ReturnType<typeof userCommands>>;

const ROLE_NAMES = ['reviewer', 'operator', 'admin'] as const;
const parseRole = (value: string): (typeof ROLE_NAMES)[number] => {
  const role = value.trim().toLowerCase();
  if (!(ROLE_NAMES as readonly string[]).includes(role)) throw new InvalidArgumentError(`role must be one of ${ROLE_NAMES.join(', ')}.`);
  return role as (typeof ROLE_NAMES)[number];
};

export const registerUserCommands = (program: Command): void => {
  const users = program.command('users').description('people who log in to the dashboard by name (reviewer, operator, admin)');

  withCommonOptions(
    users
      .command('add <name>')
      .description('add a person: the password from stdin (--password-stdin) or CAIO_USER_PASSWORD, at least 12 characters; never an argument')
      .requiredOption('--role <role>', `reviewer (decides drafts), operator (also approves batches, activates campaigns, stops sending) or admin`, parseRole)
      .option('--password-stdin', 'read the password from standard input (its first line)')
      .option('--by <name>', 'who adds them (recorded in the audit log)', 'cli')
      .option('--json', 'print JSON'),
  ).action(async (name: string, options: Parameters<UserCommands['usersAddCommand']>[1]) => (await userCommands()).usersAddCommand(name, options));

  withCommonOptions(users.command('list').description('the people, their role, when added and when disabled (never a password)').option('--json', 'print JSON')).action(async (options: Parameters<UserCommands['usersListCommand']>[0]) =>
    (await userCommands()).usersListCommand(options),
  );

  withCommonOptions(
    users.command('disable <name>').description('disable a person: their sessions stop at once, the audit log keeps their name').option('--by <name>', 'who disables them (recorded in the audit log)', 'cli').option('--json', 'print JSON'),
  ).action(async (name: string, options: Parameters<UserCommands['usersDisableCommand']>[1]) => (await userCommands()).usersDisableCommand(name, options));

  withCommonOptions(
    users
      .command('password <name>')
      .description("set a person's new password (from stdin with --password-stdin, or CAIO_USER_PASSWORD; never an argument): their sessions end")
      .option('--password-stdin', 'read the password from standard input (its first line)')
      .option('--by <name>', 'who changes it (recorded in the audit log)', 'cli')
      .option('--json', 'print JSON'),
  ).action(async (name: string, options: Parameters<UserCommands['usersPasswordCommand']>[1]) => (await userCommands()).usersPasswordCommand(name, options));
};
