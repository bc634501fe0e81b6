# CloudFront invalidation Lambda (source: infra/lambda/invalidate/index.mjs). S3 notifies it when
# an object under assets/ is written or removed; it invalidates the keys that are not
# content-hashed. The api and worker also invalidate through the SDK themselves
# (CLOUDFRONT_DISTRIBUTION_ID); this catches changes made outside the app (console, CLI, scripts).

data "archive_file" "invalidate" {
  type        = "zip"
  source_dir  = "${path.module}/../lambda/invalidate"
  output_path = "${path.module}/.build/invalidate.zip"
}

resource "aws_cloudwatch_log_group" "invalidate" {
  name              = "/aws/lambda/${local.name}-invalidate"
  retention_in_days = var.log_retention_days
}

resource "aws_iam_role" "invalidate" {
  name               = "${local.name}-invalidate"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "invalidate" {
  statement {
    sid       = "InvalidateTheAssetsDistribution"
    actions   = ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"]
    resources = [aws_cloudfront_distribution.assets.arn]
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.invalidate.arn}:*"]
  }
}

resource "aws_iam_role_policy" "invalidate" {
  name   = "invalidate"
  role   = aws_iam_role.invalidate.id
  policy = data.aws_iam_policy_document.invalidate.json
}

resource "aws_lambda_function" "invalidate" {
  function_name    = "${local.name}-invalidate"
  description      = "Invalidates changed non-hashed asset paths on the CloudFront distribution"
  role             = aws_iam_role.invalidate.arn
  runtime          = "nodejs22.x"
  handler          = "index.handler"
  filename         = data.archive_file.invalidate.output_path
  source_code_hash = data.archive_file.invalidate.output_base64sha256
  architectures    = ["arm64"]
  memory_size      = 128
  timeout          = 30

  environment {
    variables = {
      DISTRIBUTION_ID = aws_cloudfront_distribution.assets.id
    }
  }

  depends_on = [aws_cloudwatch_log_group.invalidate, aws_iam_role_policy.invalidate]
}

resource "aws_lambda_permission" "s3_invoke" {
  statement_id   = "AllowAssetsBucket"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.invalidate.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.assets.arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket_notification" "assets" {
  bucket = aws_s3_bucket.assets.id

  lambda_function {
    lambda_function_arn = aws_lambda_function.invalidate.arn
    events              = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]
    filter_prefix       = "assets/"
  }

  depends_on = [aws_lambda_permission.s3_invoke]
}
