# ECS cluster, the one image run with a different command per service, and the services.
#
#   api         Fastify API, port 4000, behind the ALB (/api/*, /assets/*), Service Connect "api"
#   web-client  Next.js storefront, port 3000, ALB default, Service Connect "web-client"
#   admin       Next.js admin, port 3001, ALB host rule for the admin host
#   worker      background jobs, no port, on Fargate Spot
#   migrate     one-off task CI runs after each deploy (aws ecs run-task), no service
#
# Every task has an AWS Distro for OpenTelemetry collector sidecar: the app exports OTLP to
# localhost:4318 and the collector sends the traces to X-Ray.

resource "aws_ecs_cluster" "main" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  service_connect_defaults {
    namespace = aws_service_discovery_http_namespace.main.arn
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
    base              = 1
  }
}

resource "aws_service_discovery_http_namespace" "main" {
  name        = local.service_connect_namespace
  description = "Service Connect names of the ${local.name} services"
}

locals {
  image = "${aws_ecr_repository.app.repository_url}:${var.image_tag}"

  otel_collector_container_name = "aws-otel-collector"

  # What the app's OpenTelemetry SDK reads: standard OTEL_* variables, exporter to the sidecar.
  otel_environment = {
    OTEL_EXPORTER_OTLP_ENDPOINT = "http://localhost:4318"
    OTEL_EXPORTER_OTLP_PROTOCOL = "http/protobuf"
    OTEL_PROPAGATORS            = "tracecontext,baggage,xray"
    OTEL_TRACES_SAMPLER         = "parentbased_traceidratio"
    OTEL_TRACES_SAMPLER_ARG     = tostring(var.otel_sampling_ratio)
    OTEL_RESOURCE_ATTRIBUTES    = "deployment.environment=${var.environment},service.namespace=${var.project}"
  }

  # Plain settings of api, worker and migrate (packages/config). Secrets are in backend_secrets.
  backend_environment = {
    NODE_ENV                   = "production"
    LOG_LEVEL                  = var.log_level
    HOST                       = "0.0.0.0"
    API_PORT                   = tostring(local.ports.api)
    PUBLIC_API_URL             = local.storefront_url
    DATA_DIR                   = "/tmp/e3d-data"
    DATABASE_POOL_MAX          = tostring(var.database_pool_max)
    CACHE_ENABLED              = "true"
    AWS_REGION                 = var.aws_region
    CLOUDFRONT_DISTRIBUTION_ID = aws_cloudfront_distribution.assets.id
    STOREFRONT_URL             = local.storefront_url
    ADMIN_URL                  = local.admin_url
    STOREFRONT_REVALIDATE_URL  = "${local.internal_storefront_url}/revalidate"
    MAIL_DRIVER                = "ses"
    MAIL_FROM                  = "${var.shop_name} <${var.mail_from_address}@${var.domain_name}>"
    SHOP_NAME                  = var.shop_name
    MODEL_PRESET               = var.model_preset
    WORKER_CONCURRENCY         = tostring(var.worker_concurrency)
    TRUST_PROXY_HOPS           = "1"
    SHUTDOWN_GRACE_MS          = "10000"
  }

  # Settings that come from SSM Parameter Store and Secrets Manager (ssm-params.tf).
  backend_secrets = [
    { name = "DATABASE_URL", valueFrom = aws_ssm_parameter.database_url.arn },
    { name = "REDIS_URL", valueFrom = aws_ssm_parameter.redis_url.arn },
    { name = "S3_BUCKET", valueFrom = aws_ssm_parameter.s3_bucket.arn },
    { name = "CLOUDFRONT_URL", valueFrom = aws_ssm_parameter.cloudfront_url.arn },
    { name = "JWT_SECRET", valueFrom = aws_secretsmanager_secret.jwt_secret.arn },
    { name = "REVALIDATE_SECRET", valueFrom = aws_secretsmanager_secret.revalidate_secret.arn },
    { name = "PAYMENT_WEBHOOK_SECRET", valueFrom = aws_secretsmanager_secret.payment_webhook_secret.arn },
  ]

  # Only with enable_stripe; otherwise the built-in test payment provider runs.
  stripe_secrets = [
    for name, parameter in aws_ssm_parameter.stripe : { name = name, valueFrom = parameter.arn }
  ]
  # The same ARNs by name ("" when Stripe is off), for ecs_task_template_values.
  stripe_secret_arns = { for name, parameter in aws_ssm_parameter.stripe : name => parameter.arn }

  # Storefront (Next.js standalone server: PORT and HOSTNAME).
  web_client_environment = {
    NODE_ENV        = "production"
    PORT            = tostring(local.ports["web-client"])
    STOREFRONT_PORT = tostring(local.ports["web-client"])
    HOSTNAME        = "0.0.0.0"
    E3D_API_URL     = local.internal_api_url
    STOREFRONT_URL  = local.storefront_url
    SHOP_NAME       = var.shop_name
    SHOP_CURRENCY   = var.shop_currency
  }

  # CLOUDFRONT_URL: the storefront uses CDN asset URLs as given and its CSP allows that host.
  web_client_secrets = [
    { name = "REVALIDATE_SECRET", valueFrom = aws_secretsmanager_secret.revalidate_secret.arn },
    { name = "CLOUDFRONT_URL", valueFrom = aws_ssm_parameter.cloudfront_url.arn },
  ]

  admin_environment = {
    NODE_ENV       = "production"
    PORT           = tostring(local.ports.admin)
    ADMIN_PORT     = tostring(local.ports.admin)
    HOSTNAME       = "0.0.0.0"
    E3D_API_URL    = local.internal_api_url
    STOREFRONT_URL = local.storefront_url
    ADMIN_URL      = local.admin_url
    AWS_REGION     = var.aws_region
  }

  # The hosts the admin's CSP allows: assets on the CDN, direct uploads to the bucket (S3_BUCKET, AWS_REGION).
  admin_secrets = [
    { name = "S3_BUCKET", valueFrom = aws_ssm_parameter.s3_bucket.arn },
    { name = "CLOUDFRONT_URL", valueFrom = aws_ssm_parameter.cloudfront_url.arn },
  ]

  # Only the Next apps report to Sentry (instrumentation.ts); the api and worker do not use it.
  sentry_environment = var.sentry_dsn == "" ? {} : { SENTRY_DSN = var.sentry_dsn }

  # Per container: environment map, secrets list, port (null = none). CI deploys render
  # infra/ecs-task.json instead (outputs.tf: ecs_task_template_values); a test keeps the two equal.
  containers = {
    api = {
      environment = merge(local.backend_environment, local.otel_environment, { OTEL_SERVICE_NAME = "api" })
      secrets     = concat(local.backend_secrets, local.stripe_secrets)
      port        = local.ports.api
    }
    web-client = {
      environment = merge(local.web_client_environment, local.otel_environment, local.sentry_environment, { OTEL_SERVICE_NAME = "web-client" })
      secrets     = local.web_client_secrets
      port        = local.ports["web-client"]
    }
    admin = {
      environment = merge(local.admin_environment, local.otel_environment, local.sentry_environment, { OTEL_SERVICE_NAME = "admin" })
      secrets     = local.admin_secrets
      port        = local.ports.admin
    }
    worker = {
      environment = merge(local.backend_environment, local.otel_environment, { OTEL_SERVICE_NAME = "worker" })
      secrets     = concat(local.backend_secrets, local.stripe_secrets)
      port        = null
    }
    migrate = {
      environment = merge(local.backend_environment, local.otel_environment, { OTEL_SERVICE_NAME = "migrate" })
      secrets     = local.backend_secrets
      port        = null
    }
  }

  task_sizes = {
    api        = var.services["api"]
    web-client = var.services["web-client"]
    admin      = var.services["admin"]
    worker     = var.services["worker"]
    migrate    = { cpu = 512, memory = 1024 }
  }

  task_roles = {
    api        = aws_iam_role.task_api.arn
    web-client = aws_iam_role.task_web.arn
    admin      = aws_iam_role.task_web.arn
    worker     = aws_iam_role.task_worker.arn
    migrate    = aws_iam_role.task_migrate.arn
  }
}

resource "aws_ecs_task_definition" "app" {
  for_each = local.containers

  family                   = "${local.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = local.task_sizes[each.key].cpu
  memory                   = local.task_sizes[each.key].memory
  execution_role_arn       = aws_iam_role.task_execution.arn
  task_role_arn            = local.task_roles[each.key]

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name        = each.key
      image       = local.image
      essential   = true
      command     = var.service_commands[each.key]
      stopTimeout = 30
      portMappings = each.value.port == null ? [] : [
        { name = "http", containerPort = each.value.port, protocol = "tcp", appProtocol = "http" }
      ]
      environment = [for k in sort(keys(each.value.environment)) : { name = k, value = each.value.environment[k] }]
      secrets     = each.value.secrets
      dependsOn   = [{ containerName = local.otel_collector_container_name, condition = "START" }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.service[each.key].name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = each.key
        }
      }
    },
    {
      name              = local.otel_collector_container_name
      image             = var.otel_collector_image
      essential         = false
      cpu               = 64
      memoryReservation = 128
      secrets = [
        { name = "AOT_CONFIG_CONTENT", valueFrom = aws_ssm_parameter.otel_collector_config.arn },
      ]
      environment = [{ name = "AWS_REGION", value = var.aws_region }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.otel_collector.name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = each.key
        }
      }
    },
  ])
}

# ---------------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------------

resource "aws_ecs_service" "api" {
  name                              = "api"
  cluster                           = aws_ecs_cluster.main.id
  task_definition                   = aws_ecs_task_definition.app["api"].arn
  desired_count                     = var.services["api"].desired_count
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 60
  enable_execute_command            = true
  propagate_tags                    = "SERVICE"

  deployment_controller {
    type = var.enable_blue_green ? "CODE_DEPLOY" : "ECS"
  }

  dynamic "deployment_circuit_breaker" {
    for_each = var.enable_blue_green ? [] : [1]
    content {
      enable   = true
      rollback = true
    }
  }

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = "api"
    container_port   = local.ports.api
  }

  # Service Connect needs the ECS deployment controller: with CodeDeploy blue/green the other
  # services reach the api through the ALB instead (local.internal_api_url).
  dynamic "service_connect_configuration" {
    for_each = var.enable_blue_green ? [] : [1]
    content {
      enabled   = true
      namespace = aws_service_discovery_http_namespace.main.arn

      service {
        port_name      = "http"
        discovery_name = "api"

        client_alias {
          port     = local.ports.api
          dns_name = "api"
        }
      }
    }
  }

  lifecycle {
    # CI deploys new task definitions and autoscaling owns the count; CodeDeploy swaps target groups.
    ignore_changes = [task_definition, desired_count, load_balancer]
  }

  depends_on = [aws_lb_listener_rule.api]
}

resource "aws_ecs_service" "web_client" {
  name                              = "web-client"
  cluster                           = aws_ecs_cluster.main.id
  task_definition                   = aws_ecs_task_definition.app["web-client"].arn
  desired_count                     = var.services["web-client"].desired_count
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 60
  propagate_tags                    = "SERVICE"

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.web_client.arn
    container_name   = "web-client"
    container_port   = local.ports["web-client"]
  }

  service_connect_configuration {
    enabled   = true
    namespace = aws_service_discovery_http_namespace.main.arn

    service {
      port_name      = "http"
      discovery_name = "web-client"

      client_alias {
        port     = local.ports["web-client"]
        dns_name = "web-client"
      }
    }
  }

  lifecycle {
    ignore_changes = [task_definition, desired_count]
  }

  depends_on = [aws_lb_listener.https]
}

resource "aws_ecs_service" "admin" {
  name                              = "admin"
  cluster                           = aws_ecs_cluster.main.id
  task_definition                   = aws_ecs_task_definition.app["admin"].arn
  desired_count                     = var.services["admin"].desired_count
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 60
  propagate_tags                    = "SERVICE"

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.admin.arn
    container_name   = "admin"
    container_port   = local.ports.admin
  }

  # Client only: reaches http://api:4000.
  service_connect_configuration {
    enabled   = true
    namespace = aws_service_discovery_http_namespace.main.arn
  }

  lifecycle {
    ignore_changes = [task_definition, desired_count]
  }

  depends_on = [aws_lb_listener_rule.admin]
}

# Jobs are leased from the database and retried when a lease runs out, so a Spot interruption
# (two minutes' notice, SIGTERM) loses no work.
resource "aws_ecs_service" "worker" {
  name            = "worker"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app["worker"].arn
  desired_count   = var.services["worker"].desired_count
  propagate_tags  = "SERVICE"

  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  # Client only: reaches http://web-client:3000/revalidate.
  service_connect_configuration {
    enabled   = true
    namespace = aws_service_discovery_http_namespace.main.arn
  }

  lifecycle {
    ignore_changes = [task_definition, desired_count]
  }

  depends_on = [aws_ecs_cluster_capacity_providers.main]
}

# ---------------------------------------------------------------------------------------------
# Autoscaling: target tracking on average CPU for the HTTP services
# ---------------------------------------------------------------------------------------------

locals {
  autoscaled_services = {
    api        = aws_ecs_service.api.name
    web-client = aws_ecs_service.web_client.name
    admin      = aws_ecs_service.admin.name
  }
}

resource "aws_appautoscaling_target" "service" {
  for_each = local.autoscaled_services

  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${each.value}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.services[each.key].min_count
  max_capacity       = var.services[each.key].max_count
}

resource "aws_appautoscaling_policy" "cpu" {
  for_each = local.autoscaled_services

  name               = "${local.name}-${each.key}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.service[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.service[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling_cpu_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
