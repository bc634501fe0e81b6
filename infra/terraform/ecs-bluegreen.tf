# Optional CodeDeploy blue/green for the api (enable_blue_green = true). The api service then
# uses the CODE_DEPLOY deployment controller (ecs.tf); CodeDeploy shifts the /api/* rule from
# one target group to the other after the new tasks pass their health checks, and rolls back
# on failure or when the 5xx alarm fires. Deploy with `aws deploy create-deployment` and an
# AppSpec naming the new task definition (CI's blue/green branch).

resource "aws_lb_target_group" "api_green" {
  count = var.enable_blue_green ? 1 : 0

  name                 = "${local.name}-api-g"
  port                 = local.ports.api
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = aws_vpc.main.id
  deregistration_delay = 30

  health_check {
    path                = "/api/healthz"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_iam_role" "codedeploy" {
  count = var.enable_blue_green ? 1 : 0

  name = "${local.name}-codedeploy"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "codedeploy.amazonaws.com" }
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "codedeploy" {
  count = var.enable_blue_green ? 1 : 0

  role       = aws_iam_role.codedeploy[0].name
  policy_arn = "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"
}

resource "aws_codedeploy_app" "api" {
  count = var.enable_blue_green ? 1 : 0

  name             = "${local.name}-api"
  compute_platform = "ECS"
}

resource "aws_codedeploy_deployment_group" "api" {
  count = var.enable_blue_green ? 1 : 0

  app_name               = aws_codedeploy_app.api[0].name
  deployment_group_name  = "${local.name}-api"
  service_role_arn       = aws_iam_role.codedeploy[0].arn
  deployment_config_name = "CodeDeployDefault.ECSCanary10Percent5Minutes"

  deployment_style {
    deployment_type   = "BLUE_GREEN"
    deployment_option = "WITH_TRAFFIC_CONTROL"
  }

  blue_green_deployment_config {
    deployment_ready_option {
      action_on_timeout = "CONTINUE_DEPLOYMENT"
    }

    terminate_blue_instances_on_deployment_success {
      action                           = "TERMINATE"
      termination_wait_time_in_minutes = 5
    }
  }

  auto_rollback_configuration {
    enabled = true
    events  = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
  }

  alarm_configuration {
    enabled = true
    alarms  = [aws_cloudwatch_metric_alarm.target_5xx.alarm_name]
  }

  ecs_service {
    cluster_name = aws_ecs_cluster.main.name
    service_name = aws_ecs_service.api.name
  }

  load_balancer_info {
    target_group_pair_info {
      prod_traffic_route {
        listener_arns = [aws_lb_listener.https.arn]
      }

      target_group {
        name = aws_lb_target_group.api.name
      }

      target_group {
        name = aws_lb_target_group.api_green[0].name
      }
    }
  }
}
