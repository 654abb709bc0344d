// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    The whole public API of dynantic. See README.md for a map of the headers. */

#include <boost/describe.hpp>  // BOOST_DESCRIBE_STRUCT, BOOST_DESCRIBE_ENUM for models

#include <dynantic/aws/config.hpp>
#include <dynantic/aws/credentials.hpp>
#include <dynantic/aws/retry.hpp>
#include <dynantic/batch.hpp>
#include <dynantic/client.hpp>
#include <dynantic/codec/bytes.hpp>
#include <dynantic/codec/category.hpp>
#include <dynantic/codec/compare.hpp>
#include <dynantic/codec/containers.hpp>
#include <dynantic/codec/decimal.hpp>
#include <dynantic/codec/enum.hpp>
#include <dynantic/codec/enum_values.hpp>
#include <dynantic/codec/item.hpp>
#include <dynantic/codec/limits.hpp>
#include <dynantic/codec/names.hpp>
#include <dynantic/codec/print.hpp>
#include <dynantic/codec/python_datetime.hpp>
#include <dynantic/codec/scalars.hpp>
#include <dynantic/codec/sets.hpp>
#include <dynantic/codec/time.hpp>
#include <dynantic/codec/traits.hpp>
#include <dynantic/codec/uuid.hpp>
#include <dynantic/error.hpp>
#include <dynantic/http/endpoint.hpp>
#include <dynantic/http/transport.hpp>
#include <dynantic/log.hpp>
#include <dynantic/batch_writer.hpp>
#include <dynantic/metrics.hpp>
#include <dynantic/operations/check.hpp>
#include <dynantic/operations/delete.hpp>
#include <dynantic/operations/get.hpp>
#include <dynantic/operations/put.hpp>
#include <dynantic/operations/update.hpp>
#include <dynantic/options.hpp>
#include <dynantic/progress.hpp>
#include <dynantic/partiql.hpp>
#include <dynantic/schema.hpp>
#include <dynantic/streams/reader.hpp>
#include <dynantic/streams/record.hpp>
#include <dynantic/table.hpp>
#include <dynantic/transaction.hpp>
#include <dynantic/update_builder.hpp>
#include <dynantic/version.hpp>
#include <dynantic/expressions/compile.hpp>
#include <dynantic/expressions/condition.hpp>
#include <dynantic/expressions/field.hpp>
#include <dynantic/expressions/path.hpp>
#include <dynantic/expressions/update.hpp>
#include <dynantic/expressions/update_value.hpp>
#include <dynantic/query.hpp>
#include <dynantic/request.hpp>
