output "ecr_repo_url" {
  description = "Push the application image here (docker push <url>:<tag>)."
  value       = aws_ecr_repository.app.repository_url
}

output "ecs_cluster_name" {
  description = "ECS cluster of every service and of the migrate task."
  value       = aws_ecs_cluster.main.name
}

output "web_alb_dns" {
  description = "DNS name of the ALB (the storefront and admin hosts are aliases of it)."
  value       = aws_lb.main.dns_name
}

output "cloudfront_domain" {
  description = "CloudFront domain of the assets CDN (the CDN host is an alias of it)."
  value       = aws_cloudfront_distribution.assets.domain_name
}

output "cloudfront_distribution_id" {
  description = "CLOUDFRONT_DISTRIBUTION_ID."
  value       = aws_cloudfront_distribution.assets.id
}

output "storefront_url" {
  value = local.storefront_url
}

output "admin_url" {
  value = local.admin_url
}

output "cdn_url" {
  description = "CLOUDFRONT_URL."
  value       = local.cdn_url
}

output "ecs_service_names" {
  description = "Service per container name, for `aws ecs update-service`."
  value       = local.ecs_service_names
}

output "migrate_task_definition_family" {
  value = aws_ecs_task_definition.app["migrate"].family
}

output "private_subnet_ids" {
  description = "For `aws ecs run-task --network-configuration` (the migrate task)."
  value       = aws_subnet.private[*].id
}

output "task_security_group_id" {
  value = aws_security_group.tasks.id
}

output "assets_bucket" {
  value = aws_s3_bucket.assets.bucket
}

output "rds_proxy_endpoint" {
  value = aws_db_proxy.main.endpoint
}

output "redis_primary_endpoint" {
  value = aws_elasticache_replication_group.main.primary_endpoint_address
}

output "alarm_topic_arn" {
  value = aws_sns_topic.alarms.arn
}

output "ci_role_arn" {
  description = "AWS_ROLE_TO_ASSUME for GitHub Actions."
  value       = aws_iam_role.ci.arn
}

output "invalidation_lambda_name" {
  value = aws_lambda_function.invalidate.function_name
}

output "codedeploy_app_name" {
  value = var.enable_blue_green ? aws_codedeploy_app.api[0].name : null
}

# Values for the placeholders of infra/ecs-task.json (CI: terraform output -json ecs_task_template_values).
# Everything aws_ecs_task_definition.app (ecs.tf) takes from variables is here, so a CI deploy
# registers what Terraform configured: sizes, tunables, commands, the blue/green-dependent URLs and
# the optional settings. Optional values are "" when off; the render script then drops the entry
# (SENTRY_DSN, STRIPE_*). Re-export it to the ECS_TASK_TEMPLATE_VALUES variable after every apply.
output "ecs_task_template_values" {
  value = {
    NAME_PREFIX                = local.name
    PROJECT                    = var.project
    ACCOUNT_ID                 = data.aws_caller_identity.current.account_id
    REGION                     = var.aws_region
    STOREFRONT_URL             = local.storefront_url
    ADMIN_URL                  = local.admin_url
    CLOUDFRONT_DISTRIBUTION_ID = aws_cloudfront_distribution.assets.id
    MAIL_FROM                  = local.backend_environment["MAIL_FROM"]
    SHOP_NAME                  = var.shop_name
    SHOP_CURRENCY              = var.shop_currency
    ENVIRONMENT                = var.environment
    EXECUTION_ROLE_ARN         = aws_iam_role.task_execution.arn
    JWT_SECRET_ARN             = aws_secretsmanager_secret.jwt_secret.arn
    REVALIDATE_SECRET_ARN      = aws_secretsmanager_secret.revalidate_secret.arn
    PAYMENT_WEBHOOK_SECRET_ARN = aws_secretsmanager_secret.payment_webhook_secret.arn
    OTEL_COLLECTOR_IMAGE       = var.otel_collector_image

    # Fargate sizes (CPU units, MiB) as strings, like the task definition's own fields.
    API_CPU           = tostring(local.task_sizes["api"].cpu)
    API_MEMORY        = tostring(local.task_sizes["api"].memory)
    WEB_CLIENT_CPU    = tostring(local.task_sizes["web-client"].cpu)
    WEB_CLIENT_MEMORY = tostring(local.task_sizes["web-client"].memory)
    ADMIN_CPU         = tostring(local.task_sizes["admin"].cpu)
    ADMIN_MEMORY      = tostring(local.task_sizes["admin"].memory)
    WORKER_CPU        = tostring(local.task_sizes["worker"].cpu)
    WORKER_MEMORY     = tostring(local.task_sizes["worker"].memory)
    MIGRATE_CPU       = tostring(local.task_sizes["migrate"].cpu)
    MIGRATE_MEMORY    = tostring(local.task_sizes["migrate"].memory)

    # Commands (lists): the template's "command" is the whole placeholder.
    API_COMMAND        = var.service_commands["api"]
    WEB_CLIENT_COMMAND = var.service_commands["web-client"]
    ADMIN_COMMAND      = var.service_commands["admin"]
    WORKER_COMMAND     = var.service_commands["worker"]
    MIGRATE_COMMAND    = var.service_commands["migrate"]

    # Tunables, read from the same locals as the Terraform task definitions.
    LOG_LEVEL               = local.backend_environment["LOG_LEVEL"]
    DATABASE_POOL_MAX       = local.backend_environment["DATABASE_POOL_MAX"]
    MODEL_PRESET            = local.backend_environment["MODEL_PRESET"]
    WORKER_CONCURRENCY      = local.backend_environment["WORKER_CONCURRENCY"]
    OTEL_TRACES_SAMPLER_ARG = local.otel_environment["OTEL_TRACES_SAMPLER_ARG"]

    # Service Connect names, or the public URL under blue/green (locals.tf).
    E3D_API_URL               = local.internal_api_url
    STOREFRONT_REVALIDATE_URL = local.backend_environment["STOREFRONT_REVALIDATE_URL"]

    # Optional: "" = off, and the entry is left out of the rendered task definition.
    SENTRY_DSN                 = var.sentry_dsn
    STRIPE_SECRET_KEY_ARN      = lookup(local.stripe_secret_arns, "STRIPE_SECRET_KEY", "")
    STRIPE_WEBHOOK_SECRET_ARN  = lookup(local.stripe_secret_arns, "STRIPE_WEBHOOK_SECRET", "")
    STRIPE_PUBLISHABLE_KEY_ARN = lookup(local.stripe_secret_arns, "STRIPE_PUBLISHABLE_KEY", "")
  }
}
