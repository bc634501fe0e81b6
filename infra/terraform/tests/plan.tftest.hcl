# Offline plan of the whole stack with every provider mocked: no AWS account, no credentials and
# no network beyond `terraform init` fetching the providers (their schemas validate the config).
#
#   cd infra/terraform && terraform init -backend=false && terraform test
#
# The variables are those of terraform.tfvars.example; packages/infra/test/terraform.test.ts keeps
# the two equal, and checks that every provider configuration in the module has a mock here.
# Assertions read configured values only: under `command = plan` a mock leaves computed attributes
# (ids, ARNs) unknown.

mock_provider "aws" {
  # Data sources return made-up values: give the ones the configuration computes with real shapes.
  mock_data "aws_availability_zones" {
    defaults = {
      names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    }
  }

  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:iam::123456789012:root"
    }
  }

  # The provider validates every `policy` / `assume_role_policy` as IAM JSON.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"}}]}"
    }
  }

  mock_data "aws_elb_service_account" {
    defaults = {
      arn = "arn:aws:iam::156460612806:root"
    }
  }

  mock_data "aws_route53_zone" {
    defaults = {
      zone_id = "Z0123456789ABCDEFGHIJ"
    }
  }
}

# providers.tf: the CloudFront-scoped configuration (WAF for the distribution).
mock_provider "aws" {
  alias = "us_east_1"
}

mock_provider "random" {}

mock_provider "archive" {}

variables {
  aws_region                 = "eu-west-1"
  environment                = "prod"
  domain_name                = "shop.example.com"
  route53_zone_name          = "example.com"
  admin_subdomain            = "admin"
  assets_subdomain           = "cdn"
  certificate_arn            = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  cloudfront_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  github_repo                = "my-org/ecommerce-3d"
  image_tag                  = "latest"
  alarm_email                = "ops@example.com"
  shop_name                  = "Example 3D Shop"
  shop_currency              = "USD"
  single_nat_gateway         = false
  db_instance_class          = "db.t4g.medium"
  db_allocated_storage       = 50
  db_multi_az                = true
  redis_node_type            = "cache.t4g.small"
  redis_num_cache_clusters   = 2
  services = {
    api        = { cpu = 512, memory = 1024, desired_count = 2, min_count = 2, max_count = 10 }
    web-client = { cpu = 512, memory = 1024, desired_count = 2, min_count = 2, max_count = 10 }
    admin      = { cpu = 256, memory = 512, desired_count = 1, min_count = 1, max_count = 3 }
    worker     = { cpu = 1024, memory = 2048, desired_count = 1, min_count = 1, max_count = 4 }
  }
}

run "plan_with_example_values" {
  command = plan

  # ---- ALB: HTTP redirects, HTTPS forwards; /api/* and /assets/* to the api, admin host to admin

  assert {
    condition = (
      aws_lb_listener.http.port == 80 &&
      aws_lb_listener.http.default_action[0].type == "redirect" &&
      aws_lb_listener.http.default_action[0].redirect[0].protocol == "HTTPS" &&
      aws_lb_listener.http.default_action[0].redirect[0].status_code == "HTTP_301"
    )
    error_message = "Port 80 must redirect to HTTPS with a 301."
  }

  assert {
    condition = (
      aws_lb_listener.https.port == 443 &&
      aws_lb_listener.https.protocol == "HTTPS" &&
      aws_lb_listener.https.certificate_arn == var.certificate_arn &&
      aws_lb_listener.https.default_action[0].type == "forward"
    )
    error_message = "Port 443 must terminate TLS with var.certificate_arn and forward to the storefront by default."
  }

  assert {
    condition = (
      aws_lb_listener_rule.api.priority < aws_lb_listener_rule.admin.priority &&
      aws_lb_listener_rule.api.action[0].type == "forward" &&
      alltrue([
        for pattern in ["/api/*", "/assets/*"] : anytrue([
          for c in aws_lb_listener_rule.api.condition : anytrue([for p in c.path_pattern : contains(p.values, pattern)])
        ])
      ])
    )
    error_message = "The api rule must forward /api/* and /assets/* on every host, ahead of the admin host rule."
  }

  assert {
    condition = anytrue([
      for c in aws_lb_listener_rule.admin.condition : anytrue([for h in c.host_header : contains(h.values, "admin.shop.example.com")])
    ])
    error_message = "The admin rule must match the admin host (admin_subdomain.domain_name)."
  }

  assert {
    condition = (
      aws_lb_target_group.api.health_check[0].path == "/api/healthz" &&
      aws_lb_target_group.web_client.health_check[0].path == "/healthz" &&
      aws_lb_target_group.admin.health_check[0].path == "/healthz"
    )
    error_message = "Target groups must probe the services' health endpoints."
  }

  # ---- ECS: api, web-client and admin on Fargate; the worker on Fargate Spot

  assert {
    condition = (
      aws_ecs_service.api.launch_type == "FARGATE" &&
      aws_ecs_service.web_client.launch_type == "FARGATE" &&
      aws_ecs_service.admin.launch_type == "FARGATE"
    )
    error_message = "api, web-client and admin must run on FARGATE."
  }

  assert {
    condition     = [for s in aws_ecs_service.worker.capacity_provider_strategy : s.capacity_provider] == ["FARGATE_SPOT"]
    error_message = "The worker must run on FARGATE_SPOT only."
  }

  assert {
    condition = (
      aws_ecs_service.api.desired_count == 2 &&
      aws_ecs_service.web_client.desired_count == 2 &&
      aws_ecs_service.admin.desired_count == 1 &&
      aws_ecs_service.worker.desired_count == 1
    )
    error_message = "Desired counts must come from var.services."
  }

  assert {
    condition = alltrue([
      for name in ["api", "web-client", "admin", "worker", "migrate"] :
      contains(aws_ecs_task_definition.app[name].requires_compatibilities, "FARGATE") &&
      aws_ecs_task_definition.app[name].network_mode == "awsvpc"
    ])
    error_message = "Every task definition (migrate included) must be Fargate-compatible with awsvpc networking."
  }

  assert {
    condition     = aws_ecs_task_definition.app["api"].cpu == "512" && aws_ecs_task_definition.app["api"].memory == "1024"
    error_message = "The api task must be sized from var.services."
  }

  # ---- S3: the assets bucket is private, owner-enforced, versioned

  assert {
    condition = (
      aws_s3_bucket_public_access_block.assets.block_public_acls &&
      aws_s3_bucket_public_access_block.assets.block_public_policy &&
      aws_s3_bucket_public_access_block.assets.ignore_public_acls &&
      aws_s3_bucket_public_access_block.assets.restrict_public_buckets
    )
    error_message = "The assets bucket must block every kind of public access."
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.assets.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "The assets bucket must disable ACLs (BucketOwnerEnforced)."
  }

  assert {
    condition     = aws_s3_bucket.assets.bucket == "e3d-prod-assets-123456789012"
    error_message = "The assets bucket is named <project>-<environment>-assets-<account id>."
  }

  assert {
    condition     = aws_s3_bucket_versioning.assets.versioning_configuration[0].status == "Enabled"
    error_message = "The assets bucket must be versioned."
  }

  # ---- CloudFront: reads the bucket through origin access control (SigV4), HTTPS only

  assert {
    condition = (
      aws_cloudfront_origin_access_control.assets.origin_access_control_origin_type == "s3" &&
      aws_cloudfront_origin_access_control.assets.signing_behavior == "always" &&
      aws_cloudfront_origin_access_control.assets.signing_protocol == "sigv4"
    )
    error_message = "CloudFront must sign every request to the bucket with SigV4 (origin access control)."
  }

  assert {
    condition = (
      contains(aws_cloudfront_distribution.assets.aliases, "cdn.shop.example.com") &&
      aws_cloudfront_distribution.assets.ordered_cache_behavior[0].path_pattern == "/assets/*" &&
      aws_cloudfront_distribution.assets.ordered_cache_behavior[0].target_origin_id == "s3-assets" &&
      alltrue([for b in aws_cloudfront_distribution.assets.ordered_cache_behavior : b.viewer_protocol_policy == "redirect-to-https"])
    )
    error_message = "The CDN host must serve /assets/* from the bucket origin, HTTPS only."
  }

  # ---- RDS: encrypted, private, Multi-AZ, protected

  assert {
    condition = (
      aws_db_instance.main.engine == "postgres" &&
      aws_db_instance.main.storage_encrypted &&
      !aws_db_instance.main.publicly_accessible &&
      aws_db_instance.main.multi_az &&
      aws_db_instance.main.deletion_protection &&
      aws_db_instance.main.backup_retention_period >= 7
    )
    error_message = "RDS must be encrypted, private, Multi-AZ (db_multi_az), deletion-protected, with 7 days of backups."
  }

  # ---- ElastiCache: encrypted at rest and in transit, failover with two nodes

  assert {
    condition = (
      # tostring: a bool in some provider versions, a string in others.
      tostring(aws_elasticache_replication_group.main.at_rest_encryption_enabled) == "true" &&
      aws_elasticache_replication_group.main.transit_encryption_enabled &&
      aws_elasticache_replication_group.main.automatic_failover_enabled
    )
    error_message = "Redis must be encrypted at rest and in transit, with automatic failover on two nodes."
  }
}
