import { App, Stack } from 'aws-cdk-lib';
import { SluiceBaseStack } from './base-stack';
import { LakeStack, LoginsStack, PipelineStackProps, PlaytimeStack, TrackingStack } from './pipeline-stacks';
import { Pipeline, readSettings } from './settings';

const STACKS: Record<Pipeline, new (app: App, id: string, props: PipelineStackProps) => Stack> = {
  logins: LoginsStack,
  playtime: PlaytimeStack,
  tracking: TrackingStack,
  lake: LakeStack,
};

const DESCRIPTIONS: Record<Pipeline, string> = {
  logins: 'Sluice logins: login queue and its dead-letter queue, the ECS service writing to your Postgres',
  playtime: 'Sluice playtime: dataset bucket notifying its queue, dead-letter queue, the ECS service summing into '
    + 'your Redis',
  tracking: 'Sluice tracking: events queue and its dead-letter queue, the raw files and charts bucket, the ECS service',
  lake: 'Sluice lake: the product events stream, the lake bucket, the ECS service writing Parquet files',
};

export interface SluiceStacks {
  readonly base: SluiceBaseStack;
  readonly pipelines: Partial<Record<Pipeline, Stack>>;
}

/**
 * The stacks of the pipelines context `pipelines` names (all four by default), environment-agnostic: synthesizing
 * needs no account, no credentials and no lookup.
 */
export function buildApp(app: App): SluiceStacks {
  const settings = readSettings((key) => app.node.tryGetContext(key));
  const base = new SluiceBaseStack(app, 'SluiceBase', settings,
    { description: 'Sluice: network, ECS cluster and API token shared by the pipelines\' services' });
  const pipelines: Partial<Record<Pipeline, Stack>> = {};
  for (const pipeline of settings.pipelines) {
    const id = `Sluice${pipeline[0].toUpperCase()}${pipeline.slice(1)}`;
    pipelines[pipeline] = new STACKS[pipeline](app, id, { settings, base, description: DESCRIPTIONS[pipeline] });
  }
  return { base, pipelines };
}
