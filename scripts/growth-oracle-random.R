# Random children for the bulk check of the growth engine against WHO's packages (docs/decisions/0013).
# Writes <out dir>/who-oracle-cases.tsv; then compute WHO's answers and compare:
#   Rscript scripts/growth-oracle-random.R /tmp/growth-bulk 40000
#   Rscript test/fixtures/growth/who-oracle.R <anthro dir> <anthroplus dir> /tmp/growth-bulk
#   npm run build && node scripts/growth-oracle-compare.mjs /tmp/growth-bulk/who-oracle.tsv
args <- commandArgs(trailingOnly = TRUE)
out_dir <- args[[1]]
n <- as.integer(args[[2]])
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
set.seed(20261201)
age <- sample(0:6950, n, replace = TRUE)
sex <- sample(c("male", "female"), n, replace = TRUE)
# a wide spread around plausible sizes, with 1 or 2 decimals (off the 0.1 cm grid) and tails past +-3 SD
base_h <- ifelse(age < 1826, 50 + 60 * sqrt(age / 1826), 110 + 65 * pmin(1, (age - 1826) / 5100))
h <- round(base_h * exp(rnorm(n, 0, 0.08)), sample(c(1, 2), n, TRUE))
w <- round((h / 100)^2 * exp(rnorm(n, log(16), 0.2)), 2)
# anthroplus takes standing height only: no recumbent length from 5 years (see who-oracle.R)
meas <- ifelse(age >= 1826, "standing", sample(c("recumbent", "standing", "", ""), n, TRUE))
hc <- ifelse(age < 1827, round(34 + 16 * sqrt(age / 1826) + rnorm(n, 0, 2), 1), NA)
muac <- ifelse(age < 1827, round(rnorm(n, 15, 2), 1), NA)
oed <- sample(c("no", "no", "no", "yes"), n, TRUE)
df <- data.frame(id = paste0("r", seq_len(n)), sex = sex, ageDays = age, weightKg = w,
                 lengthOrHeightCm = h, measured = ifelse(meas == "", NA, meas),
                 headCircumferenceCm = hc, muacCm = muac, oedema = oed, note = "random")
write.table(df, file.path(out_dir, "who-oracle-cases.tsv"), sep = "\t", quote = FALSE,
            row.names = FALSE, na = "")
