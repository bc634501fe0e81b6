# Roles: the ECS task execution role (pull the image, write logs, read exactly the task secrets),
# one least-privilege task role per kind of service, RDS Proxy, RDS monitoring, and the GitHub
# Actions deploy role (OIDC, AWS_ROLE_TO_ASSUME).

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

# ---------------------------------------------------------------------------------------------
# Task execution role
# ---------------------------------------------------------------------------------------------

resource "aws_iam_role" "task_execution" {
  name               = "${local.name}-task-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "task_execution" {
  role       = aws_iam_role.task_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "task_execution_secrets" {
  statement {
    sid     = "ReadTaskParameters"
    actions = ["ssm:GetParameters"]
    resources = concat(
      [
        aws_ssm_parameter.database_url.arn,
        aws_ssm_parameter.redis_url.arn,
        aws_ssm_parameter.s3_bucket.arn,
        aws_ssm_parameter.cloudfront_url.arn,
        aws_ssm_parameter.otel_collector_config.arn,
      ],
      [for parameter in aws_ssm_parameter.stripe : parameter.arn],
    )
  }

  statement {
    sid     = "ReadTaskSecrets"
    actions = ["secretsmanager:GetSecretValue"]
    resources = [
      aws_secretsmanager_secret.jwt_secret.arn,
      aws_secretsmanager_secret.revalidate_secret.arn,
      aws_secretsmanager_secret.payment_webhook_secret.arn,
    ]
  }
}

resource "aws_iam_role_policy" "task_execution_secrets" {
  name   = "task-secrets"
  role   = aws_iam_role.task_execution.id
  policy = data.aws_iam_policy_document.task_execution_secrets.json
}

# ---------------------------------------------------------------------------------------------
# Task roles
# ---------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "xray" {
  statement {
    sid = "SendTraces"
    actions = [
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
      "xray:GetSamplingRules",
      "xray:GetSamplingTargets",
      "xray:GetSamplingStatisticSummaries",
    ]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "assets_access" {
  statement {
    sid     = "ReadWriteAssetKeys"
    actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = [
      "${aws_s3_bucket.assets.arn}/assets/*",
      "${aws_s3_bucket.assets.arn}/uploads/*",
    ]
  }

  # Without ListBucket a HEAD of a missing key is a 403 instead of a 404.
  statement {
    sid       = "ListAssetKeys"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.assets.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["assets/*", "uploads/*"]
    }
  }

  statement {
    sid       = "SendMail"
    actions   = ["ses:SendEmail", "ses:SendRawEmail"]
    resources = [aws_sesv2_email_identity.domain.arn]
  }

  statement {
    sid       = "InvalidateChangedAssets"
    actions   = ["cloudfront:CreateInvalidation"]
    resources = [aws_cloudfront_distribution.assets.arn]
  }
}

data "aws_iam_policy_document" "ecs_exec" {
  statement {
    sid = "EcsExec"
    actions = [
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
    ]
    resources = ["*"]
  }
}

# api: S3 (assets/, uploads/), SES, CloudFront invalidation, X-Ray, ECS Exec.
resource "aws_iam_role" "task_api" {
  name               = "${local.name}-api-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy" "task_api_assets" {
  name   = "assets-mail-cdn"
  role   = aws_iam_role.task_api.id
  policy = data.aws_iam_policy_document.assets_access.json
}

resource "aws_iam_role_policy" "task_api_xray" {
  name   = "xray"
  role   = aws_iam_role.task_api.id
  policy = data.aws_iam_policy_document.xray.json
}

resource "aws_iam_role_policy" "task_api_exec" {
  name   = "ecs-exec"
  role   = aws_iam_role.task_api.id
  policy = data.aws_iam_policy_document.ecs_exec.json
}

# worker: the same S3, SES and invalidation rights (it processes uploads, sends order emails,
# invalidates replaced assets), X-Ray.
resource "aws_iam_role" "task_worker" {
  name               = "${local.name}-worker-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy" "task_worker_assets" {
  name   = "assets-mail-cdn"
  role   = aws_iam_role.task_worker.id
  policy = data.aws_iam_policy_document.assets_access.json
}

resource "aws_iam_role_policy" "task_worker_xray" {
  name   = "xray"
  role   = aws_iam_role.task_worker.id
  policy = data.aws_iam_policy_document.xray.json
}

# web-client and admin: traces only; they reach everything else through the api.
resource "aws_iam_role" "task_web" {
  name               = "${local.name}-web-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy" "task_web_xray" {
  name   = "xray"
  role   = aws_iam_role.task_web.id
  policy = data.aws_iam_policy_document.xray.json
}

# migrate: the database only (credentials in DATABASE_URL), traces.
resource "aws_iam_role" "task_migrate" {
  name               = "${local.name}-migrate-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy" "task_migrate_xray" {
  name   = "xray"
  role   = aws_iam_role.task_migrate.id
  policy = data.aws_iam_policy_document.xray.json
}

# ---------------------------------------------------------------------------------------------
# RDS Proxy and RDS enhanced monitoring
# ---------------------------------------------------------------------------------------------

resource "aws_iam_role" "rds_proxy" {
  name = "${local.name}-rds-proxy"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "rds.amazonaws.com" }
      },
    ]
  })
}

data "aws_iam_policy_document" "rds_proxy" {
  statement {
    sid       = "ReadDatabaseCredentials"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.db_credentials.arn]
  }
}

resource "aws_iam_role_policy" "rds_proxy" {
  name   = "db-credentials"
  role   = aws_iam_role.rds_proxy.id
  policy = data.aws_iam_policy_document.rds_proxy.json
}

resource "aws_iam_role" "rds_monitoring" {
  name = "${local.name}-rds-monitoring"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "monitoring.rds.amazonaws.com" }
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "rds_monitoring" {
  role       = aws_iam_role.rds_monitoring.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

# ---------------------------------------------------------------------------------------------
# GitHub Actions deploy role (OIDC): push the image, register task definitions, update the
# services, run the migrate task. CI sets AWS_ROLE_TO_ASSUME to output ci_role_arn.
# ---------------------------------------------------------------------------------------------

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "ci_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/token.actions.githubusercontent.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repo}:ref:refs/heads/main", "repo:${var.github_repo}:environment:*"]
    }
  }
}

resource "aws_iam_role" "ci" {
  name               = "${local.name}-github-deploy"
  assume_role_policy = data.aws_iam_policy_document.ci_assume.json
}

data "aws_iam_policy_document" "ci" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "EcrPush"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [aws_ecr_repository.app.arn]
  }

  statement {
    sid = "EcsDeploy"
    actions = [
      "ecs:DescribeServices",
      "ecs:DescribeTaskDefinition",
      "ecs:DescribeTasks",
      "ecs:ListTasks",
      "ecs:RegisterTaskDefinition",
      "ecs:RunTask",
      "ecs:TagResource",
      "ecs:UpdateService",
    ]
    resources = ["*"]
  }

  statement {
    sid     = "PassTaskRoles"
    actions = ["iam:PassRole"]
    resources = [
      aws_iam_role.task_execution.arn,
      aws_iam_role.task_api.arn,
      aws_iam_role.task_worker.arn,
      aws_iam_role.task_web.arn,
      aws_iam_role.task_migrate.arn,
    ]
  }

  statement {
    sid = "BlueGreenDeploy"
    actions = [
      "codedeploy:CreateDeployment",
      "codedeploy:GetApplicationRevision",
      "codedeploy:GetDeployment",
      "codedeploy:GetDeploymentConfig",
      "codedeploy:RegisterApplicationRevision",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "ci" {
  name   = "deploy"
  role   = aws_iam_role.ci.id
  policy = data.aws_iam_policy_document.ci.json
}
