import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Creates a stack's alarms, each notifying the topic named by context `alarmTopicArn` when there is one. */
export class Alarms {
  private readonly topic?: sns.ITopic;

  constructor(scope: Construct, topicArn: string | undefined) {
    this.topic = topicArn === undefined ? undefined : sns.Topic.fromTopicArn(scope, 'AlarmTopic', topicArn);
  }

  add(scope: Construct, id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, props);
    if (this.topic !== undefined) {
      alarm.addAlarmAction(new actions.SnsAction(this.topic));
    }
    return alarm;
  }
}
