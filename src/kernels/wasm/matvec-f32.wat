;; Matrix-vector kernels in float32: the products of a single example (batch 1) and the building
;; blocks of every product with a dimension under 4, which the packed kernel (gemm-f32.wat) would
;; spend more time packing than multiplying. W is read in place, row-major, never packed or
;; transposed, so a W resident in the kernel heap is not copied at all. Assembled by build.ts like
;; gemm-f32.wat (the `f32x4.madd` macro becomes mul + add, or relaxed_madd).
;;
;; All addresses and strides are byte offsets into the imported heap memory. alpha arrives as
;; float64 (one signature for both element types in the driver) and is rounded once.
(module
  (import "env" "memory" (memory 1))

  ;; y[i] = alpha v (+ y[i] when acc = 1): the one store of a dot product.
  (func $put (param $at i32) (param $v f32) (param $alpha f32) (param $acc i32)
    (if (local.get $acc)
      (then (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32.mul (local.get $alpha) (local.get $v)))))
      (else (f32.store (local.get $at) (f32.mul (local.get $alpha) (local.get $v))))))

  ;; gemvN(w, ldw, m, k, x, y, incy, alpha, acc): y[i] (+)= alpha (W x)[i] for the m x k matrix W
  ;; (row i at w + i ldw) and a contiguous x; y[i] at y + i incy. Four rows at a time, eight
  ;; columns per step in two f32x4 accumulators per row: x is loaded once per four rows, each
  ;; element of W exactly once, and the eight independent sums hide the add latency. The four
  ;; rows' sums are reduced together (two rounds of shuffles and adds), the last k mod 8 columns
  ;; are added one at a time.
  (func (export "gemvN")
    (param $w i32) (param $ldw i32) (param $m i32) (param $k i32) (param $x i32) (param $y i32) (param $incy i32) (param $alpha64 f64) (param $acc i32)
    (local $alpha f32) (local $i i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $o i32) (local $vend i32) (local $end i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local $x0 v128) (local $x1 v128)
    (local $t0 f32) (local $t1 f32) (local $t2 f32) (local $t3 f32) (local $xs f32)
    (local.set $alpha (f32.demote_f64 (local.get $alpha64)))
    (local.set $vend (i32.shl (i32.and (local.get $k) (i32.const -8)) (i32.const 2)))
    (local.set $end (i32.shl (local.get $k) (i32.const 2)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
      (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $ldw))))
      (local.set $r1 (i32.add (local.get $r0) (local.get $ldw)))
      (local.set $r2 (i32.add (local.get $r1) (local.get $ldw)))
      (local.set $r3 (i32.add (local.get $r2) (local.get $ldw)))
      (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
      (local.set $a4 (v128.const i32x4 0 0 0 0)) (local.set $a5 (v128.const i32x4 0 0 0 0))
      (local.set $a6 (v128.const i32x4 0 0 0 0)) (local.set $a7 (v128.const i32x4 0 0 0 0))
      (local.set $o (i32.const 0))
      (block $vdone (loop $vec
        (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
        (local.set $x0 (v128.load (i32.add (local.get $x) (local.get $o))))
        (local.set $x1 (v128.load offset=16 (i32.add (local.get $x) (local.get $o))))
        (local.set $a0 (f32x4.madd (v128.load (i32.add (local.get $r0) (local.get $o))) (local.get $x0) (local.get $a0)))
        (local.set $a1 (f32x4.madd (v128.load offset=16 (i32.add (local.get $r0) (local.get $o))) (local.get $x1) (local.get $a1)))
        (local.set $a2 (f32x4.madd (v128.load (i32.add (local.get $r1) (local.get $o))) (local.get $x0) (local.get $a2)))
        (local.set $a3 (f32x4.madd (v128.load offset=16 (i32.add (local.get $r1) (local.get $o))) (local.get $x1) (local.get $a3)))
        (local.set $a4 (f32x4.madd (v128.load (i32.add (local.get $r2) (local.get $o))) (local.get $x0) (local.get $a4)))
        (local.set $a5 (f32x4.madd (v128.load offset=16 (i32.add (local.get $r2) (local.get $o))) (local.get $x1) (local.get $a5)))
        (local.set $a6 (f32x4.madd (v128.load (i32.add (local.get $r3) (local.get $o))) (local.get $x0) (local.get $a6)))
        (local.set $a7 (f32x4.madd (v128.load offset=16 (i32.add (local.get $r3) (local.get $o))) (local.get $x1) (local.get $a7)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br $vec)))
      ;; one sum vector per row, then [A0 B0 A1 B1] from rows 0, 1 and [C0 D0 C1 D1] from rows 2,
      ;; 3 (lanes 0 + 2 and 1 + 3), then their halves added: [sum 0, sum 1, sum 2, sum 3]
      (local.set $a0 (f32x4.add (local.get $a0) (local.get $a1)))
      (local.set $a2 (f32x4.add (local.get $a2) (local.get $a3)))
      (local.set $a4 (f32x4.add (local.get $a4) (local.get $a5)))
      (local.set $a6 (f32x4.add (local.get $a6) (local.get $a7)))
      (local.set $a1 (f32x4.add
        (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a0) (local.get $a2))
        (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a0) (local.get $a2))))
      (local.set $a3 (f32x4.add
        (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a4) (local.get $a6))
        (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a4) (local.get $a6))))
      (local.set $a0 (f32x4.add
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a1) (local.get $a3))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a1) (local.get $a3))))
      (local.set $t0 (f32x4.extract_lane 0 (local.get $a0)))
      (local.set $t1 (f32x4.extract_lane 1 (local.get $a0)))
      (local.set $t2 (f32x4.extract_lane 2 (local.get $a0)))
      (local.set $t3 (f32x4.extract_lane 3 (local.get $a0)))
      (block $tdone (loop $tail
        (br_if $tdone (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $xs (f32.load (i32.add (local.get $x) (local.get $o))))
        (local.set $t0 (f32.add (local.get $t0) (f32.mul (f32.load (i32.add (local.get $r0) (local.get $o))) (local.get $xs))))
        (local.set $t1 (f32.add (local.get $t1) (f32.mul (f32.load (i32.add (local.get $r1) (local.get $o))) (local.get $xs))))
        (local.set $t2 (f32.add (local.get $t2) (f32.mul (f32.load (i32.add (local.get $r2) (local.get $o))) (local.get $xs))))
        (local.set $t3 (f32.add (local.get $t3) (f32.mul (f32.load (i32.add (local.get $r3) (local.get $o))) (local.get $xs))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $tail)))
      (call $put (local.get $y) (local.get $t0) (local.get $alpha) (local.get $acc))
      (local.set $y (i32.add (local.get $y) (local.get $incy)))
      (call $put (local.get $y) (local.get $t1) (local.get $alpha) (local.get $acc))
      (local.set $y (i32.add (local.get $y) (local.get $incy)))
      (call $put (local.get $y) (local.get $t2) (local.get $alpha) (local.get $acc))
      (local.set $y (i32.add (local.get $y) (local.get $incy)))
      (call $put (local.get $y) (local.get $t3) (local.get $alpha) (local.get $acc))
      (local.set $y (i32.add (local.get $y) (local.get $incy)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rows)))
    ;; the last m mod 4 rows, one at a time
    (block $lastDone (loop $last
      (br_if $lastDone (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $ldw))))
      (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $o (i32.const 0))
      (block $vdone (loop $vec
        (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
        (local.set $a0 (f32x4.madd (v128.load (i32.add (local.get $r0) (local.get $o))) (v128.load (i32.add (local.get $x) (local.get $o))) (local.get $a0)))
        (local.set $a1 (f32x4.madd (v128.load offset=16 (i32.add (local.get $r0) (local.get $o))) (v128.load offset=16 (i32.add (local.get $x) (local.get $o))) (local.get $a1)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br $vec)))
      (local.set $a0 (f32x4.add (local.get $a0) (local.get $a1)))
      (local.set $t0 (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 2 (local.get $a0)))
        (f32.add (f32x4.extract_lane 1 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
      (block $tdone (loop $tail
        (br_if $tdone (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $t0 (f32.add (local.get $t0)
          (f32.mul (f32.load (i32.add (local.get $r0) (local.get $o))) (f32.load (i32.add (local.get $x) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $tail)))
      (call $put (local.get $y) (local.get $t0) (local.get $alpha) (local.get $acc))
      (local.set $y (i32.add (local.get $y) (local.get $incy)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $last)))
  )

  ;; gemvT(w, ldw, m, k, x, incx, y, alpha, acc): y (+)= alpha W^T x for the m x k matrix W (row i
  ;; at w + i ldw), x[i] at x + i incx and a contiguous y of length k. W^T is never formed: rows of
  ;; W are streamed, four at a time, into y (y[j..j+3] += the four rows' values times their x), so
  ;; y is loaded and stored once per four rows and W read once, in order.
  (func (export "gemvT")
    (param $w i32) (param $ldw i32) (param $m i32) (param $k i32) (param $x i32) (param $incx i32) (param $y i32) (param $alpha64 f64) (param $acc i32)
    (local $alpha f32) (local $i i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $o i32) (local $vend i32) (local $end i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $v v128)
    (local $x0 f32) (local $x1 f32) (local $x2 f32) (local $x3 f32)
    (local.set $alpha (f32.demote_f64 (local.get $alpha64)))
    (local.set $vend (i32.shl (i32.and (local.get $k) (i32.const -4)) (i32.const 2)))
    (local.set $end (i32.shl (local.get $k) (i32.const 2)))
    ;; writing rather than adding: start from zero
    (if (i32.eqz (local.get $acc)) (then (memory.fill (local.get $y) (i32.const 0) (local.get $end))))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
      (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $ldw))))
      (local.set $r1 (i32.add (local.get $r0) (local.get $ldw)))
      (local.set $r2 (i32.add (local.get $r1) (local.get $ldw)))
      (local.set $r3 (i32.add (local.get $r2) (local.get $ldw)))
      ;; alpha folded into the four values of x
      (local.set $x0 (f32.mul (local.get $alpha) (f32.load (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $incx))))))
      (local.set $x1 (f32.mul (local.get $alpha) (f32.load (i32.add (local.get $x) (i32.mul (i32.add (local.get $i) (i32.const 1)) (local.get $incx))))))
      (local.set $x2 (f32.mul (local.get $alpha) (f32.load (i32.add (local.get $x) (i32.mul (i32.add (local.get $i) (i32.const 2)) (local.get $incx))))))
      (local.set $x3 (f32.mul (local.get $alpha) (f32.load (i32.add (local.get $x) (i32.mul (i32.add (local.get $i) (i32.const 3)) (local.get $incx))))))
      (local.set $s0 (f32x4.splat (local.get $x0)))
      (local.set $s1 (f32x4.splat (local.get $x1)))
      (local.set $s2 (f32x4.splat (local.get $x2)))
      (local.set $s3 (f32x4.splat (local.get $x3)))
      (local.set $o (i32.const 0))
      (block $vdone (loop $vec
        (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
        (local.set $v (v128.load (i32.add (local.get $y) (local.get $o))))
        (local.set $v (f32x4.madd (local.get $s0) (v128.load (i32.add (local.get $r0) (local.get $o))) (local.get $v)))
        (local.set $v (f32x4.madd (local.get $s1) (v128.load (i32.add (local.get $r1) (local.get $o))) (local.get $v)))
        (local.set $v (f32x4.madd (local.get $s2) (v128.load (i32.add (local.get $r2) (local.get $o))) (local.get $v)))
        (local.set $v (f32x4.madd (local.get $s3) (v128.load (i32.add (local.get $r3) (local.get $o))) (local.get $v)))
        (v128.store (i32.add (local.get $y) (local.get $o)) (local.get $v))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $vec)))
      (block $tdone (loop $tail
        (br_if $tdone (i32.ge_u (local.get $o) (local.get $end)))
        (f32.store (i32.add (local.get $y) (local.get $o)) (f32.add (f32.load (i32.add (local.get $y) (local.get $o)))
          (f32.add
            (f32.add (f32.mul (local.get $x0) (f32.load (i32.add (local.get $r0) (local.get $o))))
                     (f32.mul (local.get $x1) (f32.load (i32.add (local.get $r1) (local.get $o)))))
            (f32.add (f32.mul (local.get $x2) (f32.load (i32.add (local.get $r2) (local.get $o))))
                     (f32.mul (local.get $x3) (f32.load (i32.add (local.get $r3) (local.get $o))))))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rows)))
    ;; the last m mod 4 rows, one at a time
    (block $lastDone (loop $last
      (br_if $lastDone (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $ldw))))
      (local.set $x0 (f32.mul (local.get $alpha) (f32.load (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $incx))))))
      (local.set $s0 (f32x4.splat (local.get $x0)))
      (local.set $o (i32.const 0))
      (block $vdone (loop $vec
        (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
        (v128.store (i32.add (local.get $y) (local.get $o))
          (f32x4.madd (local.get $s0) (v128.load (i32.add (local.get $r0) (local.get $o))) (v128.load (i32.add (local.get $y) (local.get $o)))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $vec)))
      (block $tdone (loop $tail
        (br_if $tdone (i32.ge_u (local.get $o) (local.get $end)))
        (f32.store (i32.add (local.get $y) (local.get $o)) (f32.add (f32.load (i32.add (local.get $y) (local.get $o)))
          (f32.mul (local.get $x0) (f32.load (i32.add (local.get $r0) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $last)))
  )

  ;; rank1(x, incx, m, y, n, c, ldc, alpha, acc): C (+)= alpha x y^T, the outer product (delta a^T
  ;; of one example): C is m x n with row i at c + i ldc, x[i] at x + i incx, y contiguous. Each
  ;; row of C is written once, eight values per step, from y (in cache) times alpha x[i].
  (func (export "rank1")
    (param $x i32) (param $incx i32) (param $m i32) (param $y i32) (param $n i32) (param $c i32) (param $ldc i32) (param $alpha64 f64) (param $acc i32)
    (local $alpha f32) (local $i i32) (local $row i32) (local $o i32) (local $vend i32) (local $end i32) (local $xs f32) (local $s v128)
    (local.set $alpha (f32.demote_f64 (local.get $alpha64)))
    (local.set $vend (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $row (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))))
      (local.set $xs (f32.mul (local.get $alpha) (f32.load (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $incx))))))
      (local.set $s (f32x4.splat (local.get $xs)))
      (local.set $o (i32.const 0))
      ;; two loops rather than a test per step: writing, or adding to C
      (if (local.get $acc)
        (then
          (block $vdone (loop $vec
            (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
            (v128.store (i32.add (local.get $row) (local.get $o))
              (f32x4.madd (local.get $s) (v128.load (i32.add (local.get $y) (local.get $o))) (v128.load (i32.add (local.get $row) (local.get $o)))))
            (v128.store offset=16 (i32.add (local.get $row) (local.get $o))
              (f32x4.madd (local.get $s) (v128.load offset=16 (i32.add (local.get $y) (local.get $o))) (v128.load offset=16 (i32.add (local.get $row) (local.get $o)))))
            (local.set $o (i32.add (local.get $o) (i32.const 32)))
            (br $vec)))
          (block $tdone (loop $tail
            (br_if $tdone (i32.ge_u (local.get $o) (local.get $end)))
            (f32.store (i32.add (local.get $row) (local.get $o))
              (f32.add (f32.load (i32.add (local.get $row) (local.get $o))) (f32.mul (local.get $xs) (f32.load (i32.add (local.get $y) (local.get $o))))))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $tail))))
        (else
          (block $vdone (loop $vec
            (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
            (v128.store (i32.add (local.get $row) (local.get $o)) (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $y) (local.get $o)))))
            (v128.store offset=16 (i32.add (local.get $row) (local.get $o)) (f32x4.mul (local.get $s) (v128.load offset=16 (i32.add (local.get $y) (local.get $o)))))
            (local.set $o (i32.add (local.get $o) (i32.const 32)))
            (br $vec)))
          (block $tdone (loop $tail
            (br_if $tdone (i32.ge_u (local.get $o) (local.get $end)))
            (f32.store (i32.add (local.get $row) (local.get $o)) (f32.mul (local.get $xs) (f32.load (i32.add (local.get $y) (local.get $o)))))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $tail)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
  )

  ;; gather(src, stride, count, dst): dst[i] = src[i stride], a strided vector (a column of a
  ;; row-major matrix) made contiguous for the vector loops above.
  (func (export "gather") (param $src i32) (param $stride i32) (param $count i32) (param $dst i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $count) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
      (f32.store (local.get $dst) (f32.load (local.get $src)))
      (local.set $src (i32.add (local.get $src) (local.get $stride)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $next)))
  )

  ;; scatter(src, count, dst, stride, acc): dst[i stride] (+)= src[i], the way back into a column.
  (func (export "scatter") (param $src i32) (param $count i32) (param $dst i32) (param $stride i32) (param $acc i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $count) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
      (if (local.get $acc)
        (then (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src)))))
        (else (f32.store (local.get $dst) (f32.load (local.get $src)))))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (local.get $stride)))
      (br $next)))
  )
)
