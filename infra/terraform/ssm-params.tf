# Settings the tasks receive through their task definitions' `secrets`:
#   SSM Parameter Store /<name>/DATABASE_URL, REDIS_URL (SecureString), S3_BUCKET, CLOUDFRONT_URL
#   Secrets Manager <name>/JWT_SECRET, REVALIDATE_SECRET, PAYMENT_WEBHOOK_SECRET (generated)
#   optional Stripe keys (enable_stripe), rotated later with `aws ssm put-parameter --overwrite`

locals {
  ssm_prefix = "/${local.name}"
}

resource "aws_ssm_parameter" "database_url" {
  name        = "${local.ssm_prefix}/DATABASE_URL"
  description = "Postgres through RDS Proxy (TLS verified against the proxy's certificate)"
  type        = "SecureString"
  value       = "postgres://${var.db_username}:${random_password.db_master.result}@${aws_db_proxy.main.endpoint}:5432/${var.db_name}?sslmode=verify-full"
}

resource "aws_ssm_parameter" "redis_url" {
  name        = "${local.ssm_prefix}/REDIS_URL"
  description = "ElastiCache primary endpoint, TLS (rediss://) with the AUTH token"
  type        = "SecureString"
  value       = "rediss://:${random_password.redis_auth.result}@${aws_elasticache_replication_group.main.primary_endpoint_address}:6379"
}

resource "aws_ssm_parameter" "s3_bucket" {
  name        = "${local.ssm_prefix}/S3_BUCKET"
  description = "Assets bucket"
  type        = "String"
  value       = aws_s3_bucket.assets.bucket
}

resource "aws_ssm_parameter" "cloudfront_url" {
  name        = "${local.ssm_prefix}/CLOUDFRONT_URL"
  description = "Public base URL of the assets CDN"
  type        = "String"
  value       = local.cdn_url
}

locals {
  stripe_parameter_values = {
    STRIPE_SECRET_KEY      = var.stripe_secret_key
    STRIPE_WEBHOOK_SECRET  = var.stripe_webhook_secret
    STRIPE_PUBLISHABLE_KEY = var.stripe_publishable_key
  }
}

resource "aws_ssm_parameter" "stripe" {
  for_each = var.enable_stripe ? toset(["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PUBLISHABLE_KEY"]) : toset([])

  name  = "${local.ssm_prefix}/${each.key}"
  type  = each.key == "STRIPE_PUBLISHABLE_KEY" ? "String" : "SecureString"
  value = local.stripe_parameter_values[each.key]

  lifecycle {
    # Rotated out of band (aws ssm put-parameter --overwrite); Terraform only creates them.
    ignore_changes = [value]
  }
}

# Collector configuration for the sidecar (AOT_CONFIG_CONTENT): OTLP in, X-Ray out.
resource "aws_ssm_parameter" "otel_collector_config" {
  name        = "${local.ssm_prefix}/otel-collector-config"
  description = "AWS Distro for OpenTelemetry collector: OTLP receiver, X-Ray exporter"
  type        = "String"
  tier        = "Standard"
  value = yamlencode({
    receivers = {
      otlp = {
        protocols = {
          grpc = { endpoint = "0.0.0.0:4317" }
          http = { endpoint = "0.0.0.0:4318" }
        }
      }
    }
    processors = {
      batch = { timeout = "5s" }
    }
    exporters = {
      awsxray = { region = var.aws_region }
    }
    service = {
      pipelines = {
        traces = {
          receivers  = ["otlp"]
          processors = ["batch"]
          exporters  = ["awsxray"]
        }
      }
    }
  })
}

# ---------------------------------------------------------------------------------------------
# Secrets Manager: generated secrets shared by every task that needs them
# ---------------------------------------------------------------------------------------------

resource "random_password" "jwt_secret" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "jwt_secret" {
  name                    = "${local.name}/JWT_SECRET"
  description             = "Signs access tokens (api)"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "jwt_secret" {
  secret_id     = aws_secretsmanager_secret.jwt_secret.id
  secret_string = random_password.jwt_secret.result
}

resource "random_password" "revalidate_secret" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "revalidate_secret" {
  name                    = "${local.name}/REVALIDATE_SECRET"
  description             = "Bearer secret of the storefront's /revalidate route (api, worker, web-client)"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "revalidate_secret" {
  secret_id     = aws_secretsmanager_secret.revalidate_secret.id
  secret_string = random_password.revalidate_secret.result
}

resource "random_password" "payment_webhook_secret" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "payment_webhook_secret" {
  name                    = "${local.name}/PAYMENT_WEBHOOK_SECRET"
  description             = "Signs the built-in test payment provider's webhooks (same on every task)"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "payment_webhook_secret" {
  secret_id     = aws_secretsmanager_secret.payment_webhook_secret.id
  secret_string = random_password.payment_webhook_secret.result
}
