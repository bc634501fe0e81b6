#!/usr/bin/env bash
# Runs the database migrations as a one-off ECS task and fails unless they exited 0.
#
#   CLUSTER=e3d-prod TASK_DEFINITION_FILE=task-migrate.json .github/scripts/run-migrate-task.sh
#
# Environment:
#   CLUSTER               ECS cluster (Terraform output ecs_cluster_name)
#   TASK_DEFINITION_FILE  rendered `migrate` task definition (render-task-definition.mjs migrate …)
#   SUBNETS               comma-separated private subnet ids (output private_subnet_ids); when
#                         empty, the ones the worker service runs in (the same, see ecs.tf)
#   SECURITY_GROUPS       comma-separated (output task_security_group_id); empty = the worker's
#   NETWORK_FROM_SERVICE  service to copy the network from when those are empty (default worker)
#   MIGRATE_TIMEOUT_SECONDS  how long to wait for the task to stop (default 1800)
#   POLL_SECONDS          interval between status checks (default 10)
#
# Needs the aws CLI and the CI role's ecs:RegisterTaskDefinition, ecs:RunTask, ecs:DescribeTasks,
# ecs:DescribeServices and iam:PassRole on the task roles (infra/terraform/iam.tf).
set -euo pipefail

: "${CLUSTER:?set CLUSTER}"
: "${TASK_DEFINITION_FILE:?set TASK_DEFINITION_FILE}"
SUBNETS=${SUBNETS:-}
SECURITY_GROUPS=${SECURITY_GROUPS:-}
NETWORK_FROM_SERVICE=${NETWORK_FROM_SERVICE:-worker}
MIGRATE_TIMEOUT_SECONDS=${MIGRATE_TIMEOUT_SECONDS:-1800}
POLL_SECONDS=${POLL_SECONDS:-10}
CONTAINER=migrate

# `aws --output text` separates list items with tabs; run-task wants commas.
commas() { tr -s '\t\n ' ',,,' | sed 's/^,//; s/,$//'; }

if [ -z "$SUBNETS" ] || [ -z "$SECURITY_GROUPS" ]; then
  echo "network: copying subnets and security groups from service $NETWORK_FROM_SERVICE"
  network=services[0].networkConfiguration.awsvpcConfiguration
  [ -n "$SUBNETS" ] || SUBNETS=$(aws ecs describe-services --cluster "$CLUSTER" \
    --services "$NETWORK_FROM_SERVICE" --query "$network.subnets" --output text | commas)
  [ -n "$SECURITY_GROUPS" ] || SECURITY_GROUPS=$(aws ecs describe-services --cluster "$CLUSTER" \
    --services "$NETWORK_FROM_SERVICE" --query "$network.securityGroups" --output text | commas)
fi
if [ -z "$SUBNETS" ] || [ "$SUBNETS" = None ] || [ -z "$SECURITY_GROUPS" ] || [ "$SECURITY_GROUPS" = None ]; then
  echo "::error::no subnets or security groups for the migrate task (set PRIVATE_SUBNET_IDS and TASK_SECURITY_GROUP_ID)"
  exit 1
fi

task_definition=$(aws ecs register-task-definition --cli-input-json "file://$TASK_DEFINITION_FILE" \
  --query taskDefinition.taskDefinitionArn --output text)
echo "registered $task_definition"

run=$(aws ecs run-task --cluster "$CLUSTER" --task-definition "$task_definition" \
  --launch-type FARGATE --count 1 --started-by "github-${GITHUB_RUN_ID:-manual}" \
  --network-configuration "awsvpcConfiguration={subnets=[$SUBNETS],securityGroups=[$SECURITY_GROUPS],assignPublicIp=DISABLED}" \
  --query '[tasks[0].taskArn, failures[0].reason]' --output text)
task_arn=$(printf '%s' "$run" | cut -f1)
if [ -z "$task_arn" ] || [ "$task_arn" = None ]; then
  echo "::error::run-task started no task: $(printf '%s' "$run" | cut -f2)"
  exit 1
fi
echo "started $task_arn"

deadline=$((SECONDS + MIGRATE_TIMEOUT_SECONDS))
status=
while :; do
  status=$(aws ecs describe-tasks --cluster "$CLUSTER" --tasks "$task_arn" \
    --query 'tasks[0].lastStatus' --output text)
  [ "$status" = STOPPED ] && break
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "::error::the migrate task is still $status after ${MIGRATE_TIMEOUT_SECONDS}s; it keeps running, look at it before the next deploy"
    exit 1
  fi
  echo "migrate task: $status"
  sleep "$POLL_SECONDS"
done

result=$(aws ecs describe-tasks --cluster "$CLUSTER" --tasks "$task_arn" \
  --query "[tasks[0].containers[?name=='$CONTAINER'].exitCode | [0], tasks[0].stoppedReason, tasks[0].containers[?name=='$CONTAINER'].reason | [0]]" \
  --output text)
exit_code=$(printf '%s' "$result" | cut -f1)
stopped_reason=$(printf '%s' "$result" | cut -f2)
container_reason=$(printf '%s' "$result" | cut -f3)
task_id=${task_arn##*/}
echo "migrate task stopped: exit code $exit_code; $stopped_reason${container_reason:+ ($container_reason)}"
if [ "$exit_code" != 0 ]; then
  echo "::error::migrations failed (exit code $exit_code: $stopped_reason). Logs: CloudWatch stream migrate/migrate/$task_id"
  exit 1
fi
echo "migrations applied"
