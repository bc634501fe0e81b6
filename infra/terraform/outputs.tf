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
output "ecs_task_template_values" {
  value = {
    NAME_PREFIX                = local.name
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
  }
}
