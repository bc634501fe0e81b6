# ---------------------------------------------------------------------------------------------
# Naming and placement
# ---------------------------------------------------------------------------------------------

variable "project" {
  description = "Short name used as the prefix of every resource name."
  type        = string
  default     = "e3d"
}

variable "environment" {
  description = "Environment name (prod, staging…); part of resource names and tags."
  type        = string
  default     = "prod"
}

variable "aws_region" {
  description = "Region of everything except the CloudFront-scoped resources (always us-east-1)."
  type        = string
  default     = "eu-west-1"
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC; split into public and private /20s across two AZs."
  type        = string
  default     = "10.40.0.0/16"
}

variable "single_nat_gateway" {
  description = "One NAT gateway for both AZs (cheaper) instead of one per AZ (survives an AZ outage)."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------------------------
# Domain, certificates, source repository, image
# ---------------------------------------------------------------------------------------------

variable "domain_name" {
  description = "The storefront's host, e.g. shop.example.com. The API is served under /api on it."
  type        = string
}

variable "route53_zone_name" {
  description = "Public hosted zone that holds domain_name; empty = domain_name itself."
  type        = string
  default     = ""
}

variable "admin_subdomain" {
  description = "Admin host = <admin_subdomain>.<domain_name>."
  type        = string
  default     = "admin"
}

variable "assets_subdomain" {
  description = "CDN host = <assets_subdomain>.<domain_name>; becomes CLOUDFRONT_URL."
  type        = string
  default     = "cdn"
}

variable "certificate_arn" {
  description = "ACM certificate in aws_region for the ALB, covering domain_name and the admin host."
  type        = string
}

variable "cloudfront_certificate_arn" {
  description = "ACM certificate in us-east-1 covering the CDN host; empty = certificate_arn (when aws_region is us-east-1)."
  type        = string
  default     = ""
}

variable "github_repo" {
  description = "owner/name of the GitHub repository whose workflows may assume the deploy role (OIDC)."
  type        = string
}

variable "create_github_oidc_provider" {
  description = "Create the token.actions.githubusercontent.com OIDC provider (false when the account already has one)."
  type        = bool
  default     = true
}

variable "image_tag" {
  description = "Tag of the application image in ECR that the task definitions run; CI deploys newer tags itself."
  type        = string
  default     = "latest"
}

variable "service_commands" {
  description = "Command each container runs in the one application image (the image dispatches on its first argument)."
  type        = map(list(string))
  default = {
    api        = ["api"]
    web-client = ["web-client"]
    admin      = ["admin"]
    worker     = ["worker"]
    migrate    = ["migrate"]
  }
}

# ---------------------------------------------------------------------------------------------
# Sizes
# ---------------------------------------------------------------------------------------------

variable "services" {
  description = "Fargate size and scaling bounds of each long-running service."
  type = map(object({
    cpu           = number
    memory        = number
    desired_count = number
    min_count     = number
    max_count     = number
  }))
  default = {
    api        = { cpu = 512, memory = 1024, desired_count = 2, min_count = 2, max_count = 10 }
    web-client = { cpu = 512, memory = 1024, desired_count = 2, min_count = 2, max_count = 10 }
    admin      = { cpu = 256, memory = 512, desired_count = 1, min_count = 1, max_count = 3 }
    worker     = { cpu = 1024, memory = 2048, desired_count = 1, min_count = 1, max_count = 4 }
  }
}

variable "autoscaling_cpu_target" {
  description = "Average CPU (%) that target tracking keeps api, web-client and admin at."
  type        = number
  default     = 60
}

variable "db_instance_class" {
  description = "RDS instance class (Performance Insights needs db.t3.medium or larger on burstable classes)."
  type        = string
  default     = "db.t4g.medium"
}

variable "db_allocated_storage" {
  description = "Initial RDS storage in GiB."
  type        = number
  default     = 50
}

variable "db_max_allocated_storage" {
  description = "Upper bound of RDS storage autoscaling in GiB."
  type        = number
  default     = 500
}

variable "db_multi_az" {
  description = "Run RDS with a synchronous standby in the second AZ."
  type        = bool
  default     = true
}

variable "db_name" {
  description = "Name of the application database."
  type        = string
  default     = "ecommerce3d"
}

variable "db_username" {
  description = "Master user of the RDS instance (its password is generated and kept in Secrets Manager)."
  type        = string
  default     = "e3d"
}

variable "database_pool_max" {
  description = "DATABASE_POOL_MAX: connections each api/worker task opens (through RDS Proxy)."
  type        = number
  default     = 10
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.small"
}

variable "redis_num_cache_clusters" {
  description = "Redis nodes (1 primary + replicas); 2 or more enables automatic failover."
  type        = number
  default     = 2
}

# ---------------------------------------------------------------------------------------------
# Application settings (plain environment; secrets are in ssm-params.tf)
# ---------------------------------------------------------------------------------------------

variable "log_level" {
  description = "LOG_LEVEL of api and worker."
  type        = string
  default     = "info"
}

variable "shop_name" {
  description = "SHOP_NAME: the shop's name in page titles and order emails."
  type        = string
  default     = "ecommerce-3d"
}

variable "shop_currency" {
  description = "SHOP_CURRENCY the storefront formats prices in."
  type        = string
  default     = "USD"
}

variable "mail_from_address" {
  description = "Local part of the sender address on domain_name (MAIL_FROM = SHOP_NAME <local@domain>)."
  type        = string
  default     = "shop"
}

variable "worker_concurrency" {
  description = "WORKER_CONCURRENCY: jobs each worker task runs at once."
  type        = number
  default     = 2
}

variable "model_preset" {
  description = "MODEL_PRESET for uploaded models: web, ar or high."
  type        = string
  default     = "web"
}

variable "sentry_dsn" {
  description = "SENTRY_DSN of the storefront (web-client) and admin, the only services that use Sentry; empty = off."
  type        = string
  default     = ""
}

variable "enable_stripe" {
  description = "Create the Stripe SSM parameters and pass them to the tasks; false = the built-in test payment provider."
  type        = bool
  default     = false
}

variable "stripe_secret_key" {
  description = "STRIPE_SECRET_KEY (sk_live_…); only with enable_stripe. Can be rotated later with aws ssm put-parameter."
  type        = string
  default     = ""
  sensitive   = true
}

variable "stripe_webhook_secret" {
  description = "STRIPE_WEBHOOK_SECRET (whsec_…); only with enable_stripe."
  type        = string
  default     = ""
  sensitive   = true
}

variable "stripe_publishable_key" {
  description = "STRIPE_PUBLISHABLE_KEY (pk_live_…); only with enable_stripe."
  type        = string
  default     = ""
}

# ---------------------------------------------------------------------------------------------
# Observability, protection, delivery
# ---------------------------------------------------------------------------------------------

variable "alarm_email" {
  description = "Address subscribed to the alarm SNS topic (confirm the subscription email once)."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of every CloudWatch log group."
  type        = number
  default     = 30
}

variable "cpu_alarm_threshold" {
  description = "Service CPU (%) above which an alarm fires."
  type        = number
  default     = 80
}

variable "rds_connections_alarm_threshold" {
  description = "RDS DatabaseConnections above which an alarm fires."
  type        = number
  default     = 150
}

variable "otel_collector_image" {
  description = "Sidecar receiving OTLP from the app and sending traces to X-Ray (AWS Distro for OpenTelemetry collector)."
  type        = string
  default     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0"
}

variable "otel_sampling_ratio" {
  description = "Share of root traces sampled (OTEL_TRACES_SAMPLER_ARG)."
  type        = number
  default     = 0.1
}

variable "waf_rate_limit" {
  description = "Requests per 5 minutes one IP may send before the WAF rate rule blocks it."
  type        = number
  default     = 2000
}

variable "enable_blue_green" {
  description = "Deploy the api with CodeDeploy blue/green (ecs-bluegreen.tf) instead of ECS rolling updates."
  type        = bool
  default     = false
}
