import { apiHandler } from "~/http/route.server";
import { notFound } from "~/lib/errors";

/** Unknown API paths answer in the API's JSON error shape, not with the HTML 404 page. */
const unknownEndpoint = apiHandler(async () => {
  throw notFound("接口不存在");
});

export const loader = unknownEndpoint;
export const action = unknownEndpoint;
