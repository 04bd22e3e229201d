import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp, SluiceStacks } from '../lib/app';

export const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/sluice:0.1.0';
export const DEPLOY = join(__dirname, '..', '..');

/** The context cdk.json gives the CLI, so the tests synthesize what `npx cdk synth` does. */
const CDK_JSON_CONTEXT = JSON.parse(readFileSync(join(DEPLOY, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

export interface Synthesized extends SluiceStacks {
  readonly app: App;
  template(stack: Stack): Template;
  /** The JSON of every stack, by stack name. */
  readonly templates: Record<string, Template>;
}

const synthesized = new Map<string, Synthesized>();

/** The app with these context values over cdk.json's and the test image; once per context in a test file. */
export function synth(context: Record<string, unknown> = {}): Synthesized {
  const key = JSON.stringify(context);
  if (!synthesized.has(key)) {
    synthesized.set(key, synthesize(context));
  }
  return synthesized.get(key)!;
}

function synthesize(context: Record<string, unknown>): Synthesized {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, image: IMAGE, ...context } });
  const stacks = buildApp(app);
  const templates: Record<string, Template> = {};
  for (const stack of [stacks.base, ...Object.values(stacks.pipelines)]) {
    templates[stack.stackName] = Template.fromStack(stack);
  }
  return { ...stacks, app, templates, template: (stack) => templates[stack.stackName] };
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Renders a CloudFormation value of a synthesized template as the ARN it becomes, with REGION and ACCOUNT left as
 * words: references to the app's own resources are resolved through their names, imports through the exporting
 * stack. What it cannot name stays visible (`?Type`), so a test comparing text fails rather than passes by accident.
 */
export function render(value: Json, stackName: string, templates: Record<string, Template>): string {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => render(v, stackName, templates)).join(', ');
  }
  const resources = (name: string) => templates[name].toJSON().Resources as Record<string, Json>;
  if (value.Ref !== undefined) {
    const pseudo: Record<string, string> = { 'AWS::Region': 'REGION', 'AWS::AccountId': 'ACCOUNT',
      'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };
    const parameters = (templates[stackName].toJSON().Parameters ?? {}) as Record<string, Json>;
    return pseudo[value.Ref] ?? (value.Ref in parameters ? `\${${value.Ref}}` : arnOf(resources(stackName)[value.Ref]));
  }
  if (value['Fn::GetAtt'] !== undefined) {
    const [id, attribute] = value['Fn::GetAtt'];
    const resource = resources(stackName)[id];
    return attribute === 'Arn' ? arnOf(resource) : `?${resource.Type}.${attribute}`;
  }
  if (value['Fn::Join'] !== undefined) {
    const [separator, parts] = value['Fn::Join'];
    return parts.map((p: Json) => render(p, stackName, templates)).join(separator);
  }
  if (value['Fn::ImportValue'] !== undefined) {
    const [exporter] = String(value['Fn::ImportValue']).split(':');
    const outputs = templates[exporter].toJSON().Outputs as Record<string, Json>;
    const output = Object.values(outputs).find((o) => o.Export?.Name === value['Fn::ImportValue']);
    return render(output.Value, exporter, templates);
  }
  return `?${JSON.stringify(value)}`;
}

function arnOf(resource: Json): string {
  const p = resource.Properties;
  switch (resource.Type) {
    case 'AWS::SQS::Queue': return `arn:aws:sqs:REGION:ACCOUNT:${p.QueueName}`;
    case 'AWS::S3::Bucket': return `arn:aws:s3:::${p.BucketName}`;
    case 'AWS::Kinesis::Stream': return `arn:aws:kinesis:REGION:ACCOUNT:stream/${p.Name}`;
    case 'AWS::Logs::LogGroup': return `arn:aws:logs:REGION:ACCOUNT:log-group:${p.LogGroupName}:*`;
    case 'AWS::SecretsManager::Secret': return `arn:aws:secretsmanager:REGION:ACCOUNT:secret:${p.Name}-??????`;
    default: return `?${resource.Type}`;
  }
}

export interface RenderedStatement {
  readonly role: string;
  readonly sid?: string;
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
}

/** Every statement of every identity policy in a stack, with the role it is attached to by its logical id. */
export function roleStatements(synthesized: Synthesized, stack: Stack): RenderedStatement[] {
  const policies = synthesized.template(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((policy: Json) => {
    const roles: string[] = policy.Properties.Roles.map((r: Json) => r.Ref);
    return roles.flatMap((role) => policy.Properties.PolicyDocument.Statement.map((s: Json) => ({
      role,
      sid: s.Sid,
      effect: s.Effect,
      actions: [s.Action].flat().sort(),
      resources: [s.Resource].flat().map((r: Json) => render(r, stack.stackName, synthesized.templates)).sort(),
    })));
  });
}

/** The logical id of the one role in a stack whose logical id contains `part` (TaskRole, TaskExecutionRole). */
export function roleId(synthesized: Synthesized, stack: Stack, part: string): string {
  const ids = Object.keys(synthesized.template(stack).findResources('AWS::IAM::Role'))
    .filter((id) => id.includes(part) && !(part === 'TaskRole' && id.includes('Execution')));
  if (ids.length !== 1) {
    throw new Error(`${stack.stackName}: ${ids.length} roles named like ${part}: ${ids.join(', ')}`);
  }
  return ids[0];
}
